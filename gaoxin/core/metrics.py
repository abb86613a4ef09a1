"""The metrics registry: every figure the platform shows is one named metric.

A metric has a stable key ("projects.reached.signed"), a label (Chinese, with English through
i18n), a unit, and a function of a `MetricScope` (the zones and the as-of date) returning the
queryset of the records behind it. Its value is always computed from that queryset (a count,
or a sum of one field), so a figure clicks through to exactly the records that make it.

Apps register metrics in their own `metrics.py` with the `@metric` decorator; core discovers
those modules at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gaoxin.core import formatting


class Unit(Enum):
    ITEM = ("个", _("items"))
    ENTERPRISE = ("家", _("enterprises"))
    PERSON = ("人", _("people"))
    YUAN = ("元", _("yuan"))
    SQUARE_METRE = ("平方米", _("m²"))
    DAY = ("天", _("days"))
    PERCENT = ("%", _("%"))

    def __init__(self, symbol: str, label: Promise) -> None:
        self.symbol = symbol
        self.label = label

    def format(self, value: Any) -> str:
        if self is Unit.YUAN:
            return formatting.money(value)
        if self is Unit.SQUARE_METRE:
            return formatting.area(value)
        if self is Unit.PERCENT:
            return f"{formatting.number(value, places=1)}%"
        return f"{formatting.number(value)}{_unit_word(self)}"


def _unit_word(unit: Unit) -> str:
    from django.utils.translation import get_language

    if (get_language() or "zh-hans").startswith("zh"):
        return unit.symbol
    return f" {unit.label}"


@dataclass(frozen=True)
class Column:
    """A column of a metric's record table: a label and a dotted attribute path."""

    label: Promise | str
    path: str

    def value(self, obj: Any) -> Any:
        current = obj
        for part in self.path.split("."):
            if current is None:
                return None
            current = getattr(current, part)
            if callable(current) and not isinstance(current, models.Manager):
                current = current()
        return current


@dataclass(frozen=True)
class MetricScope:
    """What a figure covers: these zones, as things stood at the end of this day."""

    zone_ids: tuple[int, ...]
    as_of: dt.date

    @classmethod
    def of(cls, zone_ids: Iterable[int], as_of: dt.date | None = None) -> MetricScope:
        from django.utils import timezone

        return cls(tuple(sorted(zone_ids)), as_of or timezone.localdate())

    @property
    def end_of_day(self) -> dt.datetime:
        """The last instant of `as_of` in the zone's time, for timestamp comparisons."""
        from django.utils import timezone

        start_next = dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(start_next) - dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise | str
    unit: Unit
    records: Callable[[MetricScope], models.QuerySet[Any]]
    sum_field: str | None = None
    columns: tuple[Column, ...] = ()
    description: Promise | str = ""
    group: Promise | str = field(default="")
    # How `sum_field` is folded: "sum", or "avg" for a mean (e.g. days from land to construction).
    aggregate: str = "sum"
    # For a figure that is neither a count nor a fold of one field (a ratio such as occupancy):
    # computed from the same records, so it still clicks through to them.
    compute: Callable[[models.QuerySet[Any], MetricScope], int | Decimal] | None = None
    # A family member about one zone's record (a campaign, an industry): only users of that
    # zone may open it, since its label names the record.
    zone_id: int | None = None

    def value(self, scope: MetricScope) -> int | Decimal:
        return self.evaluate(scope)[0]

    def evaluate(self, scope: MetricScope) -> tuple[int | Decimal, models.QuerySet[Any]]:
        queryset = self.records(scope)
        if self.compute is not None:
            return self.compute(queryset, scope), queryset
        if self.sum_field is None:
            return queryset.count(), queryset
        function = {"sum": models.Sum, "avg": models.Avg}[self.aggregate]
        total = queryset.aggregate(total=function(self.sum_field))["total"]
        if total is None:
            total = Decimal(0)
        elif self.aggregate == "avg":
            total = Decimal(str(total)).quantize(Decimal("0.1"))
        return total, queryset

    def format(self, value: Any) -> str:
        return self.unit.format(value)


@dataclass(frozen=True)
class MetricFamily:
    """Metrics that differ by one parameter, e.g. enterprises per industry:
    "enterprises.industry.<pk>". `make` builds the metric for a parameter (None if there is
    no such one); `params` lists the parameters that exist in a scope."""

    prefix: str
    make: Callable[[str], Metric | None]
    params: Callable[[MetricScope], list[str]]


class MetricRegistry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self._families: dict[str, MetricFamily] = {}

    def register_family(self, family: MetricFamily) -> MetricFamily:
        if family.prefix in self._families:
            raise ValueError(f"metric family {family.prefix!r} is registered twice")
        self._families[family.prefix] = family
        return family

    def find(self, key: str) -> Metric | None:
        """A registered metric, or one of a family by its full key."""
        if key in self._metrics:
            return self._metrics[key]
        prefix, _, param = key.rpartition(".")
        family = self._families.get(prefix)
        return family.make(param) if family is not None and param else None

    def expanded(self, scope: MetricScope) -> list[Metric]:
        """Every metric, with each family's members that exist in the scope."""
        metrics = list(self._metrics.values())
        for family in self._families.values():
            metrics.extend(m for m in (family.make(p) for p in family.params(scope)) if m)
        return sorted(metrics, key=lambda m: m.key)

    def register(self, metric: Metric) -> Metric:
        if metric.key in self._metrics:
            raise ValueError(f"metric {metric.key!r} is registered twice")
        self._metrics[metric.key] = metric
        return metric

    def get(self, key: str) -> Metric:
        metric = self.find(key)
        if metric is None:
            raise KeyError(key)
        return metric

    def __contains__(self, key: str) -> bool:
        return self.find(key) is not None

    def all(self) -> list[Metric]:
        return sorted(self._metrics.values(), key=lambda m: m.key)


registry = MetricRegistry()


def metric(
    key: str,
    *,
    label: Promise | str,
    unit: Unit,
    sum_field: str | None = None,
    columns: Iterable[Column] = (),
    description: Promise | str = "",
    group: Promise | str = "",
    aggregate: str = "sum",
    compute: Callable[[models.QuerySet[Any], MetricScope], int | Decimal] | None = None,
) -> Callable[[Callable[[MetricScope], models.QuerySet[Any]]], Metric]:
    """Register the decorated records function as a metric."""

    def decorate(records: Callable[[MetricScope], models.QuerySet[Any]]) -> Metric:
        return registry.register(
            Metric(
                key=key,
                label=label,
                unit=unit,
                records=records,
                sum_field=sum_field,
                columns=tuple(columns),
                description=description,
                group=group,
                aggregate=aggregate,
                compute=compute,
            )
        )

    return decorate


def breakdown(base_key: str, by: str, lookup: str, model: Any) -> MetricFamily:
    """`<base_key>.<by>.<id>`: the base metric's records narrowed to one record of `model`
    (an industry, a department), so a bar or a table cell of a breakdown opens exactly its
    own records. Not listed in the index: there is one per record."""
    import dataclasses

    from django.utils.text import format_lazy

    prefix = f"{base_key}.{by}"

    def make(param: str) -> Metric | None:
        base = registry.find(base_key)
        if base is None or not param.isdigit():
            return None
        obj = model._default_manager.filter(pk=int(param)).first()
        if obj is None:
            return None

        def records(scope: MetricScope) -> models.QuerySet[Any]:
            return base.records(scope).filter(**{lookup: obj.pk})

        return dataclasses.replace(
            base,
            key=f"{prefix}.{obj.pk}",
            label=format_lazy("{base} · {name}", base=base.label, name=str(obj)),
            records=records,
            zone_id=getattr(obj, "zone_id", None),
        )

    return registry.register_family(MetricFamily(prefix, make, lambda scope: []))


def json_number(value: int | Decimal) -> int | float:
    """A figure as a JSON number: whole numbers stay integers (money is in yuan)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
