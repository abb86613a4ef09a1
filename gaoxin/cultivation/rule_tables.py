"""The rules page's tables: the 规上 thresholds grouped by GB/T 4754 section with the row in
force today marked, and the designation criteria by kind and version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gaoxin.cultivation.models import DesignationCriteria, ScaleThreshold
from gaoxin.cultivation.rules import DATE_UNCHECKED, WAN
from gaoxin.enterprises.models import DesignationKind
from gaoxin.industries.national import SECTIONS

SECTION_NAMES = {code: name for code, name, _divisions in SECTIONS}
DIVISION_NAMES = {code: name for _s, _n, divisions in SECTIONS for code, name in divisions}


def wan(yuan: Decimal | int | None) -> str:
    """An amount in 万元, without trailing zeros ("2000", "0.5")."""
    if yuan is None:
        return ""
    value = (Decimal(yuan) / WAN).normalize()
    return f"{value:f}"


@dataclass
class ThresholdRow:
    rule: ScaleThreshold
    in_force: bool
    superseded: bool
    divisions: list[tuple[str, str]]
    head_count: str
    date_unchecked: bool
    note: str

    @property
    def amount(self) -> str:
        return wan(self.rule.min_revenue)


@dataclass
class Section:
    code: str
    name: str
    rows: list[ThresholdRow] = field(default_factory=list)


def head_count(rule: ScaleThreshold) -> str:
    if rule.min_employees is None or not rule.combine:
        return ""
    if rule.combine == ScaleThreshold.Combine.OR:
        return _("or at least %(n)s employees") % {"n": rule.min_employees}
    return _("and at least %(n)s employees") % {"n": rule.min_employees}


def threshold_sections(today: dt.date) -> list[Section]:
    """Every threshold row, by section then division group, newest first; the row of each
    (section, divisions) in force today marked, rows not yet in force marked as future."""
    rules = list(ScaleThreshold.objects.order_by("section", "divisions", "-effective_from"))
    current: dict[tuple[str, str], int] = {}
    for rule in sorted(rules, key=lambda r: r.effective_from):
        if rule.effective_from <= today:
            current[(rule.section, rule.divisions)] = rule.pk
    sections: dict[str, Section] = {}
    for rule in rules:
        section = sections.setdefault(
            rule.section, Section(rule.section, SECTION_NAMES.get(rule.section, ""))
        )
        note = rule.note.replace(DATE_UNCHECKED, "").strip()
        section.rows.append(
            ThresholdRow(
                rule=rule,
                in_force=current.get((rule.section, rule.divisions)) == rule.pk,
                superseded=rule.effective_from <= today
                and current.get((rule.section, rule.divisions)) != rule.pk,
                divisions=[(code, DIVISION_NAMES.get(code, "")) for code in rule.division_codes()],
                head_count=head_count(rule),
                date_unchecked=DATE_UNCHECKED in rule.note,
                note=note,
            )
        )
    return [sections[code] for code in sorted(sections)]


@dataclass
class CriteriaRow:
    rule: DesignationCriteria
    in_force: bool
    bands: list[dict[str, Any]]

    @property
    def min_revenue_wan(self) -> str:
        return wan(self.rule.min_revenue)

    @property
    def max_revenue_wan(self) -> str:
        return wan(self.rule.max_revenue)

    @property
    def min_rnd_wan(self) -> str:
        return wan(self.rule.min_rnd)


@dataclass
class CriteriaKind:
    kind: str
    label: Any
    rows: list[CriteriaRow] = field(default_factory=list)


def bands(rule: DesignationCriteria) -> list[dict[str, Any]]:
    """The rule's R&D bands as the pages say them: from / below in 万元, and the percent."""
    shown = []
    low: Any = None
    low_inclusive = False
    for band in rule.rnd_bands:
        below = band.get("below")
        shown.append(
            {
                "from_wan": wan(low) if low is not None else "",
                # The band starts above its "from" (the band before ends on it, inclusive).
                "from_exclusive": low_inclusive,
                "below_wan": wan(below) if below is not None else "",
                "inclusive": bool(band.get("inclusive")),
                "percent": f"{Decimal(str(band['percent'])).normalize():f}",
            }
        )
        low, low_inclusive = below, bool(band.get("inclusive"))
    return shown


def criteria_by_kind(today: dt.date) -> list[CriteriaKind]:
    """Every criteria row by designation, newest first, the one in force today marked."""
    kinds: dict[str, CriteriaKind] = {}
    rows = list(DesignationCriteria.objects.order_by("kind", "-effective_from"))
    current: dict[str, int] = {}
    for rule in sorted(rows, key=lambda r: r.effective_from):
        if rule.effective_from <= today:
            current[rule.kind] = rule.pk
    for rule in rows:
        group = kinds.setdefault(
            rule.kind, CriteriaKind(rule.kind, DesignationKind(rule.kind).label)
        )
        group.rows.append(CriteriaRow(rule, current.get(rule.kind) == rule.pk, bands(rule)))
    return list(kinds.values())
