"""The zones' economy at city scale: 36 months of figures (营业收入, 税收, 研发费用 …) for the
enterprises that report.

规上 enterprises (from the year they reached it) report to the statistics bureau: one
ImportBatch a zone and period, 1–2月 as one period, the cumulative given. A share of the others
self-report month by month, most on time, some late, some months missed (a SelfReport each).
Each figure has one source, so every row is the one in effect (`in_effect` set here, as the
services would). No change history, like the rest of the generated set.

The figures are millions of rows, so they are inserted as tuples with executemany in batches,
not built as model instances for bulk_create: instantiating and preparing a FigureValue costs
about three times as much as inserting it (measured: 20,000 rows by bulk_create took 4.1 s,
50,000 by executemany 2.9 s). The columns are the model's own, read from its _meta."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.demo.economy_data import MANUFACTURING, SEASON
from gaoxin.demo.synthetic.base import BATCH, bulk
from gaoxin.demo.synthetic.cultivation import CultivationPart
from gaoxin.economy.models import FigureValue, ImportBatch, Indicator, SelfReport, Source
from gaoxin.economy.periods import Period, month_periods
from gaoxin.enterprises.models import Enterprise

MONTHS = 36
SELF_REPORTING_SHARE = 0.12  # of the enterprises below 规上
BUREAU_CODES = ("revenue", "output", "tax", "profit", "rnd", "employees")
SELF_CODES = ("revenue", "tax", "rnd", "employees")
Row = tuple[Any, ...]  # one FigureValue's COLUMNS
COLUMNS = (
    "zone_id",
    "enterprise_id",
    "indicator_id",
    "year",
    "month",
    "first_month",
    "amount",
    "cumulative",
    "source",
    "batch_id",
    "known_from",
    "in_effect",
)
DEADLINE_DAY = 10
HUNDRED = 100


def _hundreds(value: float) -> Decimal:
    return Decimal(int(value) // HUNDRED * HUNDRED)


class EconomyPart(CultivationPart):
    """(Its 研发费用 are drawn by the cultivation part, from a Random of its own.)"""

    _moments: dict[dt.datetime, object]

    def _economy(self, zone: Zone) -> None:
        rng = self.rng
        self._moments = {}
        indicators = {i.code: i.pk for i in Indicator.objects.all()}
        last = Period(self.end.year, self.end.month, self.end.month)
        last = (
            Period(last.year - 1, 12, 12)
            if last.month == 1
            else Period(last.year, last.month - 1, last.month - 1)
        )
        first = last
        for _ in range(self.economy_months - 1):
            first = (
                Period(first.year - 1, 12, 12)
                if first.month == 1
                else Period(first.year, first.month - 1, first.month - 1)
            )
        months = month_periods(first, last)
        industrial_ids = {i.pk for i in self.industries[zone.pk] if i.name in MANUFACTURING}
        through = Enterprise.industries.through
        industry_of = dict(
            through.objects.filter(enterprise__zone=zone).values_list(
                "enterprise_id", "industry_id"
            )
        )
        enterprises = [
            e for e in self.enterprises.get(zone.pk, []) if e.status == Enterprise.Status.ACTIVE
        ]
        bureau, reporters = [], []
        for enterprise in enterprises:
            if enterprise.is_above_scale and (enterprise.above_scale_year or 0) <= last.year:
                bureau.append(enterprise)
            elif rng.random() < SELF_REPORTING_SHARE:
                reporters.append(enterprise)
        batches = {
            period: batch
            for period, batch in zip(
                _bureau_periods(months),
                bulk(
                    ImportBatch,
                    [
                        ImportBatch(
                            zone=zone,
                            source=Source.BUREAU,
                            year=p.year,
                            month=p.month,
                            first_month=p.first_month,
                            file_name=f"{p.key}-规上企业主要指标.xlsx",
                        )
                        for p in _bureau_periods(months)
                    ],
                    self.counts,
                ),
                strict=True,
            )
        }
        rows: list[Row] = []
        for enterprise in bureau:
            industrial = industry_of.get(enterprise.pk) in industrial_ids
            rows.extend(
                self._bureau_rows(zone, enterprise, months, batches, indicators, industrial)
            )
            if len(rows) >= 10 * BATCH:
                self._insert_figures(rows)
                rows = []
        reports: list[SelfReport] = []
        for enterprise in reporters:
            for report, figures in self._self_rows(zone, enterprise, months, indicators):
                reports.append(report)
                rows.extend(figures)
            if len(rows) >= 10 * BATCH:
                self._insert_figures(rows)
                bulk(SelfReport, reports, self.counts)
                rows, reports = [], []
        self._insert_figures(rows)
        bulk(SelfReport, reports, self.counts)

    def _insert_figures(self, rows: list[Row]) -> None:
        table = FigureValue._meta.db_table
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
        self.counts[FigureValue._meta.label] += len(rows)

    def _moment(self, day: dt.datetime) -> object:
        """A moment as the database stores it (the adaptation a model field would do)."""
        if day not in self._moments:
            self._moments[day] = connection.ops.adapt_datetimefield_value(timezone.make_aware(day))
        return self._moments[day]

    # --- one enterprise's figures ----------------------------------------------------------

    def _draw(self, low: float, high: float) -> tuple[float, float, float, float, int]:
        """An enterprise's size (yuan a year at the first month), growth a year, tax rate,
        margin and workforce."""
        rng = self.rng
        growth = rng.gauss(0.14, 0.13) if rng.random() > 0.12 else -rng.uniform(0.05, 0.25)
        return (
            math.exp(rng.uniform(math.log(low), math.log(high))),
            growth,
            rng.uniform(0.02, 0.07),
            rng.gauss(0.07, 0.05),
            rng.randint(10, 1500),
        )

    def _month(self, size: float, growth: float, index: int, month: int) -> float:
        return float(
            size
            * (1 + growth) ** (index / 12)
            * SEASON[month - 1]
            / 12
            * self.rng.uniform(0.93, 1.07)
        )

    def _bureau_rows(
        self,
        zone: Zone,
        enterprise: Enterprise,
        months: list[Period],
        batches: dict[Period, ImportBatch],
        indicators: dict[str, int],
        industrial: bool,
    ) -> Iterator[Row]:
        rng = self.rng
        size, growth, tax_rate, margin, people = self._draw(
            *((3e7, 1.5e9) if industrial else (1.5e7, 4e8))
        )
        joined = enterprise.above_scale_year or 0
        codes = [c for c in BUREAU_CODES if industrial or c != "output"]
        running: dict[str, Decimal] = {}
        pending: dict[str, Decimal] = {}
        for index, month in enumerate(months):
            revenue = self._month(size, growth, index, month.month)
            values = {
                "revenue": _hundreds(revenue),
                "output": _hundreds(revenue * rng.uniform(0.9, 1.08)),
                "tax": _hundreds(revenue * tax_rate * rng.uniform(0.6, 1.4)),
                "profit": _hundreds(revenue * (margin + rng.gauss(0, 0.04))),
                "rnd": self.rnd_amount(enterprise.pk, revenue),
            }
            if month.month == 1:
                running = {}
            if month.year < joined:
                continue
            for code, amount in values.items():
                pending[code] = pending.get(code, Decimal(0)) + amount
            if month.month == 1:
                continue  # the bureau publishes 1–2月 as one period
            period = Period(month.year, 2, 1) if month.month == 2 else month
            if period not in batches:
                pending = {}
                continue  # the window opens on a February: its January is not published
            following = month.next_month()
            known = self._moment(
                dt.datetime(following.year, following.month, rng.randint(15, 20), 10)
            )
            staff = Decimal(max(5, round(people * (1 + growth / 2) ** (index / 12))))
            for code in codes:
                if code == "employees":
                    amount, cumulative = staff, None
                else:
                    amount = pending[code]
                    running[code] = running.get(code, Decimal(0)) + amount
                    cumulative = running[code]
                yield (
                    zone.pk,
                    enterprise.pk,
                    indicators[code],
                    period.year,
                    period.month,
                    period.first_month,
                    amount,
                    cumulative,
                    Source.BUREAU.value,
                    batches[period].pk,
                    known,
                    True,
                )
            pending = {}

    def _self_rows(
        self,
        zone: Zone,
        enterprise: Enterprise,
        months: list[Period],
        indicators: dict[str, int],
    ) -> Iterator[tuple[SelfReport, list[Row]]]:
        rng = self.rng
        size, growth, tax_rate, _margin, people = self._draw(2e6, 1.8e7)
        late_chance, missed_chance = rng.choice(
            ((0.04, 0.0), (0.04, 0.0), (0.35, 0.0), (0.3, 0.25))
        )
        for index, month in enumerate(months):
            if rng.random() < missed_chance:
                continue
            revenue = self._month(size, growth, index, month.month)
            following = month.next_month()
            day = (
                rng.randint(DEADLINE_DAY + 1, 28)
                if rng.random() < late_chance
                else rng.randint(1, DEADLINE_DAY)
            )
            moment = dt.datetime(following.year, following.month, day, 15)
            at = self._moment(moment)
            values = {
                "revenue": _hundreds(revenue),
                "tax": _hundreds(revenue * tax_rate * rng.uniform(0.6, 1.4)),
                "employees": Decimal(max(3, round(people / 10 * (1 + growth / 2) ** (index / 12)))),
                "rnd": self.rnd_amount(enterprise.pk, revenue),
            }
            yield (
                SelfReport(
                    enterprise_id=enterprise.pk,
                    year=month.year,
                    month=month.month,
                    submitted_at=timezone.make_aware(moment),
                ),
                [
                    (
                        zone.pk,
                        enterprise.pk,
                        indicators[code],
                        month.year,
                        month.month,
                        month.month,
                        values[code],
                        None,
                        Source.SELF.value,
                        None,
                        at,
                        True,
                    )
                    for code in SELF_CODES
                ],
            )


def _bureau_periods(months: list[Period]) -> list[Period]:
    periods = []
    for month in months:
        if month.month == 1:
            continue
        if month.month == 2:
            if Period(month.year, 1, 1) in months:
                periods.append(Period(month.year, 2, 1))
            continue
        periods.append(month)
    return periods
