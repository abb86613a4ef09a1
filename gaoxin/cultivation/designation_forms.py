"""The candidate lists' filter form (高企 and 专精特新 radars)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import YES_NO, AsOfField, model_choice, search_field, yes_no
from gaoxin.cultivation.designations import REASONS
from gaoxin.enterprises.forms import liaison_filter
from gaoxin.enterprises.services import liaison_candidates
from gaoxin.industries.forms import industry_filter
from gaoxin.industries.models import Industry

SORTS = {
    "share": "-rnd_share",
    "-share": "rnd_share",
    "revenue": "-revenue_y1",
    "-revenue": "revenue_y1",
    "name": "name",
    "-name": "-name",
    "expiry": "expires_on_held",
    "-expiry": "-expires_on_held",
}


class CandidateFilterForm(forms.Form):
    q = search_field(_("Name, pinyin initials (e.g. zhgx) or credit code"))
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any")), *REASONS]
    )
    industry = industry_filter()
    liaison_officer = liaison_filter()
    followed = forms.ChoiceField(label=_("In follow-up"), required=False, choices=YES_NO)
    as_of = AsOfField()
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
        model_choice(self, "liaison_officer").queryset = liaison_candidates(*zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "reason": data.get("reason") or "",
            "industry": data["industry"].pk if data.get("industry") else None,
            "liaison_officer": data["liaison_officer"].pk if data.get("liaison_officer") else None,
            "followed": yes_no(data.get("followed")),
            "day": data["as_of"],
            "sort": data.get("sort") or "share",
        }
