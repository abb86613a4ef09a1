from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.core.formatting import WAN
from gaoxin.core.forms import choice_field, model_choice, search_field
from gaoxin.core.roles import Role
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.selectors import REPORT_SORTS, ReportStatus
from gaoxin.industries.models import Industry

# Amounts in 万元 to six decimal places are whole fen (0.01 yuan): the conversion is exact.
WAN_PLACES = 6
WAN_DIGITS = 18


class PeriodField(forms.CharField):
    """A single month written as 2023-06 (or as officers write it: 2023年6月)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Month"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        from gaoxin.core.errors import DomainError

        try:
            period = Period.parse(text)
        except DomainError as error:
            raise forms.ValidationError(error.message, code="period") from None
        if period.is_combined:
            raise forms.ValidationError(_("Pick one month."), code="combined")
        return period


STATUS_CHOICES = [
    ("", _("Any")),
    ("submitted", _("Reported (已报, late or not)")),
    ("missing", _("Not reported (未报 and 逾期未报)")),
    *ReportStatus.choices,
]


class ReportFilterForm(forms.Form):
    period = PeriodField()
    q = search_field(_("Enterprise or credit code"))
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.none(), required=False
    )
    officer = forms.ModelChoiceField(
        label=_("Liaison officer"), queryset=User.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in REPORT_SORTS])

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

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "industry": data.get("industry"),
            "officer": data.get("officer"),
            "status": data.get("status") or "",
            "q": data.get("q") or "",
            "sort": data.get("sort") or "",
        }


def in_yuan(indicator: Indicator, entered: Decimal) -> Decimal:
    """What the form's field holds, in the indicator's stored unit (万元 → yuan, exactly)."""
    if indicator.unit == Indicator.Unit.YUAN:
        return entered * WAN
    return entered


def as_entered(indicator: Indicator, stored: Decimal) -> Decimal:
    if indicator.unit == Indicator.Unit.YUAN:
        return (stored / WAN).normalize()
    return stored.normalize()


class SelfReportForm(forms.Form):
    """One field per indicator the enterprise is asked for, money in 万元 (as the bureau's
    sheets and the enterprises' own books state it), people as a count."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        current: dict[int, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        fields: dict[str, forms.Field] = {}
        for indicator in indicators:
            yuan = indicator.unit == Indicator.Unit.YUAN
            fields[indicator.code] = forms.DecimalField(
                label=f"{indicator.name}（{'万元' if yuan else '人'}）",
                required=False,
                max_digits=WAN_DIGITS,
                decimal_places=WAN_PLACES if yuan else 0,
                min_value=None if indicator.signed else Decimal(0),
                help_text=_("In 万元, e.g. 1234.5 for 12,345,000 yuan.") if yuan else "",
                initial=(
                    as_entered(indicator, current[indicator.pk])
                    if indicator.pk in current
                    else None
                ),
            )
        # The indicators first, the note last.
        self.fields = {**fields, "note": self.fields["note"]}

    def values(self) -> dict[Indicator, Decimal]:
        """The figures filled in, in the indicators' stored units."""
        return {
            indicator: in_yuan(indicator, self.cleaned_data[indicator.code])
            for indicator in self.indicators
            if self.cleaned_data.get(indicator.code) is not None
        }

    def fingerprint(self) -> str:
        """What a confirmation confirms: these very figures (changed ones are asked again)."""
        text = "|".join(f"{i.code}={v}" for i, v in sorted(self.values().items(), key=_code))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _code(item: tuple[Indicator, Decimal]) -> str:
    return item[0].code


SOURCE_LABELS = dict(Source.choices)


class EconomySettingsForm(forms.Form):
    """The zone's self-report deadline and which source its figures use first."""

    report_deadline_day = forms.IntegerField(
        label=_("Self-report deadline (day of the next month)"),
        min_value=1,
        max_value=28,
        help_text=_("Enterprises report a month by this day of the next month, e.g. 10."),
    )
    first = forms.ChoiceField(label=_("1st source"), choices=Source.choices)
    second = forms.ChoiceField(label=_("2nd source"), choices=Source.choices)
    third = forms.ChoiceField(label=_("3rd source"), choices=Source.choices)
    fourth = forms.ChoiceField(label=_("4th source"), choices=Source.choices)
    confirm_precedence = forms.BooleanField(
        label=_("I understand: every figure of the zone is chosen again by the new order"),
        required=False,
    )

    RANKS = ("first", "second", "third", "fourth")

    def __init__(self, *args: Any, ranking: list[str], **kwargs: Any) -> None:
        self.current = list(ranking)
        initial = dict(zip(self.RANKS, ranking, strict=False))
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, **kwargs)
        for rank in self.RANKS:
            choice_field(self, rank).choices = Source.choices

    def ranking(self) -> list[str]:
        return [self.cleaned_data[rank] for rank in self.RANKS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(rank in data for rank in self.RANKS):
            ranking = [data[rank] for rank in self.RANKS]
            if len(set(ranking)) != len(ranking):
                raise forms.ValidationError(_("Name every source once, best first."))
            if ranking != self.current and not data.get("confirm_precedence"):
                self.add_error(
                    "confirm_precedence",
                    _("Changing the order re-chooses every figure of the zone: confirm it."),
                )
        return data
