from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import YES_NO, DateInput, model_choice, search_field, yes_no
from gaoxin.enterprises.models import (
    Alliance,
    Designation,
    DesignationKind,
    DesignationLevel,
    Enterprise,
)
from gaoxin.enterprises.selectors import SORTS
from gaoxin.enterprises.services import CONTACT_FIELDS, PROFILE_FIELDS
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.industries.forms import industry_filter, segment_choices
from gaoxin.industries.models import ChainSegment, Industry

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone


class EnterpriseFilterForm(forms.Form):
    q = search_field(_("Name, pinyin initials (e.g. zhgx) or credit code"))
    industry = industry_filter()
    segment = forms.ModelChoiceField(
        label=_("Chain segment"),
        queryset=ChainSegment.objects.none(),
        required=False,
        empty_label=_("All segments"),
    )
    designation = forms.ChoiceField(
        label=_("Designation"),
        required=False,
        choices=[
            ("", _("Any")),
            ("specialised", _("专精特新 (provincial or national)")),
            *DesignationKind.choices,
        ],
    )
    above_scale = forms.ChoiceField(label=_("规上"), required=False, choices=YES_NO)
    alliance = forms.ModelChoiceField(
        label=_("Alliance"), queryset=Alliance.objects.none(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Enterprise.Status.choices]
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
        segment_choices(model_choice(self, "segment"), zone_ids)
        model_choice(self, "alliance").queryset = Alliance.objects.filter(zone_id__in=zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        above = data.get("above_scale")
        return {
            "q": data.get("q") or "",
            "industry": data["industry"].pk if data.get("industry") else None,
            "segment": data["segment"].pk if data.get("segment") else None,
            "designation": data.get("designation") or "",
            "above_scale": yes_no(above),
            "alliance": data["alliance"].pk if data.get("alliance") else None,
            "status": data.get("status") or "",
            "sort": data.get("sort") or "name",
        }


_TAGS_AT = PROFILE_FIELDS.index("address") + 1


class EnterpriseForm(VersionedFormMixin, forms.ModelForm):
    """The whole profile, for officers."""

    class Meta:
        model = Enterprise
        # What enterprise_update accepts, with the industry tags (written apart) after the address.
        fields = [*PROFILE_FIELDS[:_TAGS_AT], "industries", "segments", *PROFILE_FIELDS[_TAGS_AT:]]
        widgets = {
            "founded_on": DateInput(),
            "settled_on": DateInput(),
            "industries": forms.CheckboxSelectMultiple,
            "segments": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industries").queryset = Industry.objects.filter(zone_id=zone_id)
        segment_choices(model_choice(self, "segments"), [zone_id])

    def clean_uscc(self) -> str:
        return validate_uscc(self.cleaned_data["uscc"])

    def validate_unique(self) -> None:
        """Uniqueness of the code in the zone is the service's to say, in its words."""


class ContactForm(VersionedFormMixin, forms.ModelForm):
    """What an enterprise's own users may keep up to date."""

    class Meta:
        model = Enterprise
        fields = list(CONTACT_FIELDS)  # exactly what enterprise_contact_update accepts


class DesignationForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = ["kind", "level", "certificate_no", "granted_on", "expires_on"]
        widgets = {
            "granted_on": DateInput(),
            "expires_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].initial = DesignationLevel.PROVINCIAL

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        granted, expires = data.get("granted_on"), data.get("expires_on")
        if granted and expires and expires < granted:
            raise ValidationError({"expires_on": _("It cannot expire before it was granted.")})
        return data


class RevokeForm(VersionedFormMixin, forms.Form):
    on = forms.DateField(label=_("Revoked on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AllianceForm(VersionedFormMixin, forms.Form):
    zone: forms.ModelChoiceField[Zone] = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    industry: forms.ModelChoiceField[Industry] = forms.ModelChoiceField(
        label=_("Industry"), queryset=None, required=False, empty_label="—"
    )
    founded_on = forms.DateField(
        label=_("Founded on"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, zones: Any = None, industries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if zones is None:
            del self.fields["zone"]
        else:
            model_choice(self, "zone").queryset = zones
        model_choice(self, "industry").queryset = industries
        self.fields["description"].widget.attrs["rows"] = 3
