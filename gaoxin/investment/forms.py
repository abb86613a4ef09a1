from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.selectors import officer_holders, officers_of
from gaoxin.core.choices import DependentChoicesMixin
from gaoxin.core.concurrency import VersionedFormMixin, add_version_field
from gaoxin.core.forms import DateInput, choice_field, model_choice, search_field
from gaoxin.industries.forms import SEGMENT_FOLLOWS_INDUSTRY, industry_filter
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.investment.models import OPEN_STATUSES, Lead, LeadContact, LeadSource, LeadStatus
from gaoxin.investment.selectors import DEFAULT_SORT, SORTS
from gaoxin.investment.services import EDITABLE_FIELDS


class LeadFilterForm(forms.Form):
    q = search_field(_("Company name or credit code"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            ("open", _("Open (not signed or abandoned)")),
            *LeadStatus.choices,
        ],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any")), *LeadSource.choices]
    )
    industry = industry_filter()
    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Any officer"),
    )
    idle = forms.BooleanField(label=_("No follow-up for 60 days"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
        model_choice(self, "officer").queryset = officer_holders(zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "source": data.get("source") or "",
            "industry": data["industry"].pk if data.get("industry") else None,
            "officer": data["officer"].pk if data.get("officer") else None,
            "idle": bool(data.get("idle")),
            "sort": data.get("sort") or DEFAULT_SORT,
        }


class SegmentChoiceField(forms.ModelChoiceField):
    """A chain segment, labelled with its industry and its strength on the industry map, so
    the 缺 and 弱 links (补链 targets) stand out. `strengths`: {segment id: strength}."""

    strengths: dict[int, str] = {}

    def label_from_instance(self, obj: ChainSegment) -> str:
        from gaoxin.industries.selectors import BADGES

        badge = BADGES.get(self.strengths.get(obj.pk, ""), "")
        suffix = f" [{badge}]" if badge else ""
        return f"{obj.industry.name} · {obj.name}{suffix}"


class LeadForm(DependentChoicesMixin, VersionedFormMixin, forms.ModelForm):
    segment = SegmentChoiceField(
        label=_("Chain segment it would fill"),
        queryset=ChainSegment.objects.none(),
        required=False,
        help_text=_("缺 missing and 弱 weak segments are the industry map's 补链 targets."),
    )

    dependent_choices = (SEGMENT_FOLLOWS_INDUSTRY,)

    class Meta:
        model = Lead
        fields = list(EDITABLE_FIELDS)  # exactly what lead_update accepts
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        from gaoxin.industries.selectors import segment_strengths

        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id=zone_id)
        segment = model_choice(self, "segment")
        segment.queryset = (
            ChainSegment.objects.filter(industry__zone_id=zone_id)
            .select_related("industry")
            .order_by("industry__order", "industry__name", "position", "order", "name")
        )
        # The strengths (a count of every segment's enterprises) through the figures cache.
        segment.strengths = segment_strengths([zone_id])  # type: ignore[attr-defined]
        model_choice(self, "officer").queryset = officers_of(
            [zone_id], keep=self.instance.officer_id
        )

    def validate_unique(self) -> None:
        """The rules on codes are the service's to say, in its words."""


class ContactForm(forms.ModelForm):
    class Meta:
        model = LeadContact
        fields = ["kind", "on", "notes"]
        widgets = {
            "on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


class StatusForm(forms.Form):
    """The status a lead moves to. 签约 is not offered: a lead is signed by turning it into a
    project."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason for abandoning"),
        required=False,
        max_length=Lead._meta.get_field("abandon_reason").max_length,
        help_text=_("Required when the lead is abandoned."),
    )

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, lead)
        choice_field(self, "status").choices = [
            (value, label)
            for value, label in LeadStatus.choices
            if value not in (LeadStatus.SIGNED, lead.status)
        ]
        # One click should move a lead on, never back: the next open status comes selected.
        order: list[str] = list(OPEN_STATUSES)
        if not self.initial.get("status") and lead.status in order:
            following = order.index(lead.status) + 1
            self.initial["status"] = (
                order[following] if following < len(order) else LeadStatus.ABANDONED
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("status") == LeadStatus.ABANDONED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the lead is abandoned."))
        return data
