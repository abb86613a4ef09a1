from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.choices import DependentChoicesMixin
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import YES_NO, DateInput, model_choice, search_field, yes_no
from gaoxin.enterprises.models import (
    Alliance,
    Designation,
    DesignationKind,
    DesignationLevel,
    Enterprise,
    EnterpriseExit,
)
from gaoxin.enterprises.selectors import SORTS
from gaoxin.enterprises.services import (
    CONTACT_FIELDS,
    PROFILE_FIELDS,
    SCALE_FIELDS,
    liaison_candidates,
)
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.industries.forms import (
    SEGMENT_FOLLOWS_INDUSTRY,
    SEGMENTS_FOLLOW_INDUSTRIES,
    industry_filter,
    segment_choices,
)
from gaoxin.industries.models import ChainSegment, Industry, NationalIndustry
from gaoxin.industries.national import SECTIONS

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone


def section_filter() -> forms.ChoiceField:
    """A list's GB/T 4754 section filter (?section=C), from the catalogue's own data: no query
    to draw the select."""
    return forms.ChoiceField(
        label=_("National industry section (GB/T 4754)"),
        required=False,
        choices=[("", _("Any")), *((code, f"{code} {name}") for code, name, _d in SECTIONS)],
    )


def liaison_filter() -> forms.ModelChoiceField:
    """A list's liaison officer (挂点联系) filter; the form narrows it to its zones' staff with
    `liaison_candidates(*zone_ids)`."""
    return forms.ModelChoiceField(
        label=_("Liaison officer"),
        queryset=liaison_candidates(0),
        required=False,
        empty_label=_("Any"),
    )


class EnterpriseFilterForm(DependentChoicesMixin, forms.Form):
    dependent_choices = (SEGMENT_FOLLOWS_INDUSTRY,)

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
    section = section_filter()
    liaison_officer = liaison_filter()
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
        segment_choices(model_choice(self, "segment"), zone_ids)
        model_choice(self, "alliance").queryset = Alliance.objects.filter(zone_id__in=zone_ids)
        model_choice(self, "liaison_officer").queryset = liaison_candidates(*zone_ids)

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
            "section": data.get("section") or "",
            "liaison_officer": data["liaison_officer"].pk if data.get("liaison_officer") else None,
            "sort": data.get("sort") or "name",
        }


_TAGS_AT = PROFILE_FIELDS.index("address") + 1


class EnterpriseForm(DependentChoicesMixin, VersionedFormMixin, forms.ModelForm):
    """The whole profile, for officers. A new enterprise may be registered as 规上 since a year
    (its first spell); afterwards 规上 and the status change only through the dated actions of
    the enterprise's page (入统/退库, 迁出/注销/迁回)."""

    dependent_choices = (SEGMENTS_FOLLOW_INDUSTRIES,)

    class Meta:
        model = Enterprise
        # What enterprise_update accepts, with the industry tags (written apart) after the address.
        fields = [
            *PROFILE_FIELDS[:_TAGS_AT],
            "industries",
            "segments",
            *PROFILE_FIELDS[_TAGS_AT:],
            *SCALE_FIELDS,
        ]
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
        national = model_choice(self, "national_industry")
        national.queryset = NationalIndustry.objects.filter(level=NationalIndustry.Level.DIVISION)
        national.choices = national_industry_choices()
        officer = model_choice(self, "liaison_officer")
        officer.queryset = liaison_candidates(zone_id)
        if self.instance.pk is not None:
            for name in SCALE_FIELDS:
                del self.fields[name]

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


# --- standing in the zone and in the 规上 directory ----------------------------------------


def _not_in_future(day: dt.date | None) -> dt.date | None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("The day cannot be in the future."))
    return day


class ExitForm(forms.Form):
    """迁出 or 注销: the day, a note, and a confirmation (it leaves today's registry)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EnterpriseExit.Kind.choices)
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("I confirm the enterprise left the zone on that day."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def clean_left_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("left_on"))


class ReturnForm(forms.Form):
    """迁回: the enterprise is back in the zone from a day."""

    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())

    def clean_returned_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("returned_on"))


class ScaleEnterForm(forms.Form):
    """入统: the enterprise enters the 规上 directory on a day."""

    entered_on = forms.DateField(label=_("Entered the directory on (入统)"), widget=DateInput())

    def clean_entered_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("entered_on"))


class ScaleLeaveForm(forms.Form):
    """退库: the enterprise leaves the 规上 directory on a day."""

    left_on = forms.DateField(label=_("Left the directory on (退库)"), widget=DateInput())

    def clean_left_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("left_on"))


def national_industry_choices() -> list[tuple[Any, Any]]:
    """GB/T 4754's divisions grouped by their section, for a select (one query)."""
    groups: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for division in NationalIndustry.objects.filter(
        level=NationalIndustry.Level.DIVISION
    ).select_related("parent"):
        section = division.parent
        key = section.code if section else ""
        label = f"{section.code} {section.name}" if section else ""
        groups.setdefault(key, (label, []))[1].append((division.pk, str(division)))
    return [("", "—"), *((label, options) for label, options in groups.values())]
