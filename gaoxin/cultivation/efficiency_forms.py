"""The 亩均效益 pages' forms: the list's filters, a year's cut-offs (entered in 万元 per 亩,
stored in yuan), and an enterprise's land records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.bounds import YEAR_MAX, money_input
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import DateInput
from gaoxin.cultivation import efficiency
from gaoxin.cultivation.efficiency_services import CUTOFF_FIELDS, check_cutoffs
from gaoxin.cultivation.models import EfficiencyClass, EfficiencyCutoffs
from gaoxin.industries.forms import industry_filter
from gaoxin.industries.models import Industry

FIRST_YEAR = 1988  # the first high-tech zones

SORTS = {
    "-tax": "-tax_per_mu",
    "tax": "tax_per_mu",
    "-revenue": "-revenue_per_mu",
    "revenue": "revenue_per_mu",
    "-land": "-land_area",
    "land": "land_area",
    "name": "name",
    "-name": "-name",
}
UNCLASSIFIED = "none"


def last_year() -> int:
    return timezone.localdate().year - 1


class EfficiencyFilterForm(forms.Form):
    efficiency_class = forms.ChoiceField(
        label=_("Class"),
        required=False,
        choices=[("", _("Any")), *EfficiencyClass.choices, (UNCLASSIFIED, _("Not classified"))],
    )
    change = forms.ChoiceField(
        label=_("Change from last year"),
        required=False,
        choices=[("", _("Any")), *efficiency.CHANGES.items()],
    )
    industry = industry_filter()
    year = forms.IntegerField(
        label=_("Year evaluated"),
        required=False,
        min_value=FIRST_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": _("latest")}),
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["industry"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Industry.objects.filter(zone_id__in=zone_ids)
        year = self.fields["year"]
        assert isinstance(year, forms.IntegerField)
        year.max_value = timezone.localdate().year
        year.validators.append(MaxValueValidator(timezone.localdate().year))


class CutoffsForm(VersionedFormMixin, forms.Form):
    """Six cut-offs in 万元 per 亩 (typed as every amount is: "18" or "18万"); the year is
    fixed once the row exists."""

    year = forms.IntegerField(label=_("Year evaluated"), min_value=FIRST_YEAR, max_value=YEAR_MAX)
    tax_a = money_input(label=_("A: tax per 亩 from (万元)"))
    revenue_a = money_input(label=_("A: revenue per 亩 from (万元)"))
    tax_b = money_input(label=_("B: tax per 亩 from (万元)"))
    revenue_b = money_input(label=_("B: revenue per 亩 from (万元)"))
    tax_c = money_input(label=_("C: tax per 亩 from (万元)"))
    revenue_c = money_input(label=_("C: revenue per 亩 from (万元)"))

    def __init__(self, *args: Any, record: EfficiencyCutoffs | None = None, **kwargs: Any) -> None:
        if record is not None:
            kwargs.setdefault(
                "initial",
                {"year": record.year} | {name: getattr(record, name) for name in CUTOFF_FIELDS},
            )
        super().__init__(*args, record=record, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.IntegerField)
        if record is not None:
            year.disabled = True
        else:
            year.initial = last_year()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(name) is not None for name in CUTOFF_FIELDS):
            try:
                check_cutoffs(self.yuan())
            except DomainError as error:
                self.add_error(error.field, error.message)
        return data

    def yuan(self) -> dict[str, Decimal]:
        """The cut-offs in yuan per 亩, as stored (the fields read 万元 into yuan)."""
        return {name: self.cleaned_data[name] for name in CUTOFF_FIELDS}


class LandRecordForm(forms.Form):
    area = forms.DecimalField(
        label=_("Land area (m²)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    source = forms.CharField(
        label=_("Source (不动产权证号、测绘报告…)"),
        max_length=200,
        error_messages={
            "required": _("Name the source of the area (a certificate number, a survey report…).")
        },
    )
    valid_from = forms.DateField(label=_("Land held from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Land held until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and until and until <= start:
            self.add_error(
                "valid_until", _("The land must be held until a day after it is held from.")
            )
        return data


class LandEndForm(VersionedFormMixin, forms.Form):
    on = forms.DateField(label=_("Land held until"), widget=DateInput())
    confirm = forms.BooleanField(
        label=_("Yes, this enterprise no longer holds this land from that day"),
        error_messages={"required": _("Tick the box to confirm ending this land record.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
