"""What the 小升规 and 应统尽统 lists are asked: a name, the zone's industry, the GB/T 4754
section, the liaison officer, whether followed, the share (小升规 only) and the order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import YES_NO, model_choice, search_field, yes_no
from gaoxin.cultivation.scale import DEFAULT_SHARE, DEFAULT_SORT, SORTS
from gaoxin.enterprises.forms import liaison_filter, section_filter
from gaoxin.enterprises.services import liaison_candidates
from gaoxin.industries.forms import industry_filter
from gaoxin.industries.models import Industry


class ScaleFilterForm(forms.Form):
    q = search_field(_("Name, pinyin initials (e.g. zhgx) or credit code"))
    industry = industry_filter()
    section = section_filter()
    liaison_officer = liaison_filter()
    followed = forms.ChoiceField(label=_("Followed"), required=False, choices=YES_NO)
    share = forms.IntegerField(
        label=_("Share of the threshold from (%)"),
        required=False,
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"size": 4, "placeholder": str(DEFAULT_SHARE)}),
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], with_share: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
        model_choice(self, "liaison_officer").queryset = liaison_candidates(*zone_ids)
        if not with_share:
            del self.fields["share"]

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {
            "q": data.get("q") or "",
            "industry": data["industry"].pk if data.get("industry") else None,
            "section": data.get("section") or "",
            "liaison_officer": data["liaison_officer"].pk if data.get("liaison_officer") else None,
            "followed": yes_no(data.get("followed")),
            "sort": data.get("sort") or DEFAULT_SORT,
        }
        if "share" in self.fields:
            arguments["share"] = data.get("share") or DEFAULT_SHARE
        return arguments
