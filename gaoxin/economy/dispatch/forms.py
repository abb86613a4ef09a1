from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.core.bounds import WanField, money_input
from gaoxin.core.forms import YES_NO, model_choice, search_field, yes_no
from gaoxin.core.roles import Role
from gaoxin.economy.dispatch.selectors import DISPATCH_SORTS
from gaoxin.economy.models import ProjectDispatch
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.forms import PeriodField
from gaoxin.industries.models import Industry


class DispatchFilterForm(forms.Form):
    period = PeriodField()
    q = search_field(_("Project or investor"))
    reported = forms.ChoiceField(label=_("Reported"), choices=YES_NO, required=False)
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.none(), required=False
    )
    officer = forms.ModelChoiceField(
        label=_("Serving officer"), queryset=User.objects.none(), required=False
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in DISPATCH_SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "industry").queryset = Industry.objects.filter(
            zone_id__in=zone_ids
        ).order_by("name")
        model_choice(self, "officer").queryset = (
            User.objects.filter(role__in=(Role.OFFICER, Role.ADMIN), zones__in=zone_ids)
            .distinct()
            .order_by("username")
        )

    def clean_period(self) -> Period | None:
        period: Period | None = self.cleaned_data.get("period")
        today = timezone.localdate()
        if period is not None and (period.year, period.month) > (today.year, today.month):
            raise forms.ValidationError(_("This month has not begun yet."), code="future")
        return period

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "reported": yes_no(data.get("reported")),
            "industry": data.get("industry"),
            "officer": data.get("officer"),
            "sort": data.get("sort") or "",
        }


def _wan(label: Any) -> WanField:
    # Typed as every amount is: a bare number in 万元, or "1.2亿", "3,200万".
    return money_input(label=label, help_text=_("In 万元, e.g. 1234.5 for 12,345,000 yuan."))


class DispatchForm(forms.Form):
    """A project's month: amounts in 万元 as the dispatch sheets write them, stored in yuan."""

    investment_completed = _wan(_("Investment completed in the month (万元)"))
    funds_in_place = _wan(_("Funds in place in the month (万元)"))
    progress = forms.CharField(
        label=_("Progress"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, current: ProjectDispatch | None, **kwargs: Any) -> None:
        if current is not None:
            kwargs.setdefault(
                "initial",
                {
                    "investment_completed": current.investment_completed,
                    "funds_in_place": current.funds_in_place,
                    "progress": current.progress,
                },
            )
        super().__init__(*args, **kwargs)

    def in_yuan(self, name: str) -> Decimal:
        value: Decimal = self.cleaned_data[name]  # the field reads 万元 into yuan
        return value
