"""Which 规上 threshold applies to an enterprise on a day: the rule of its GB/T 4754 division
(a row naming the division) or else of its section, the latest of each in force by the day.
An enterprise with no national industry class, or in a section the bureau does not count by
revenue, has none and is on no 规上 radar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, DecimalField, IntegerField, Value, When

from gaoxin.cultivation.models import ScaleThreshold
from gaoxin.enterprises.selectors import panel_once
from gaoxin.industries.models import NationalIndustry


def rules_in_force(day: dt.date) -> dict[int, ScaleThreshold]:
    """{division's NationalIndustry pk: the threshold in force on the day} (two queries, once
    for an enterprise page's panels)."""
    return panel_once(("cultivation.scale_rules", day), lambda: _rules_in_force(day))


def _rules_in_force(day: dt.date) -> dict[int, ScaleThreshold]:
    latest: dict[tuple[str, str], ScaleThreshold] = {}
    for rule in ScaleThreshold.objects.filter(effective_from__lte=day).order_by("effective_from"):
        latest[(rule.section, rule.divisions)] = rule  # later rows replace earlier ones
    by_section = {section: rule for (section, divisions), rule in latest.items() if not divisions}
    by_division = {
        code: rule
        for (_section, divisions), rule in latest.items()
        for code in rule.division_codes()
    }
    found: dict[int, ScaleThreshold] = {}
    divisions = NationalIndustry.objects.filter(level=NationalIndustry.Level.DIVISION)
    for pk, code, section in divisions.values_list("pk", "code", "parent__code"):
        chosen = by_division.get(code) or by_section.get(section)
        if chosen is not None:
            found[pk] = chosen
    return found


def rule_case(
    day: dt.date,
    attribute: str = "min_revenue",
    field: str = "national_industry_id",
    rules: dict[int, ScaleThreshold] | None = None,
) -> Case:
    """A SQL expression giving each row's rule attribute on the day, by the division in
    `field` (NULL where no rule applies): annotate a queryset of enterprises with it
    (`field="enterprise__national_industry_id"` from a related model). `rules` are the
    day's `rules_in_force` when the caller has read them for several attributes."""
    by_value: dict[Any, list[int]] = {}
    for division_pk, rule in (rules_in_force(day) if rules is None else rules).items():
        by_value.setdefault(getattr(rule, attribute), []).append(division_pk)
    output: Any
    if attribute == "min_revenue":
        output = DecimalField(max_digits=18, decimal_places=2)
    elif attribute in ("min_employees", "pk"):
        output = IntegerField()
    else:
        output = CharField()
    whens = [
        When(**{f"{field}__in": pks}, then=Value(value, output_field=output))
        for value, pks in by_value.items()
        if value is not None
    ]
    return Case(*whens, default=Value(None, output_field=output), output_field=output)


def threshold_of(national_industry_id: int | None, day: dt.date) -> ScaleThreshold | None:
    if national_industry_id is None:
        return None
    return rules_in_force(day).get(national_industry_id)


def reaches(rule: ScaleThreshold, revenue: Decimal, employees: int | None) -> bool:
    """Whether a year's revenue (and head count) meets the rule."""
    by_revenue = revenue >= rule.min_revenue
    if rule.min_employees is None or not rule.combine:
        return by_revenue
    by_people = employees is not None and employees >= rule.min_employees
    if rule.combine == ScaleThreshold.Combine.OR:
        return by_revenue or by_people
    return by_revenue and by_people
