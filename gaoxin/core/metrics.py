"""The metrics registry: every figure the platform shows is one named metric.

A metric has a stable key ("projects.reached.signed"), a label (Chinese, with English through
i18n), a unit, and a function of a `MetricScope` (the zones and the as-of date) returning the
queryset of the records behind it. Its value is always computed from that queryset (a count,
or a sum of one field), so a figure clicks through to exactly the records that make it.

Apps register metrics in their own `metrics.py` with the `@metric` decorator; core discovers
those modules at start-up.

Metrics over the same records can say so: `@metric(..., base=f)` decorates a *condition* (a Q
of the scope) on the queryset `f(scope)` instead of a records function. Such siblings are read
together: `Values` asks the database once for all the siblings of the first one it needs
(one aggregate with a FILTER per metric), so a page of forty pipeline figures costs one scan of
the zone's projects, not forty. A sibling's records are still `f(scope).filter(condition)`:
the figure and the records behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db import connections, models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gaoxin.core import formatting

# A LIMIT no query reaches: it only keeps a subquery from being merged into its outer query.
UNLIMITED = 2**62


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
        if isinstance(value, Decimal) and value.is_nan():
            return "—"  # a figure that cannot be computed (a growth on nothing)
        if self is Unit.YUAN:
            return formatting.money(value)
        if self is Unit.SQUARE_METRE:
            return formatting.area(value)
        if self is Unit.PERCENT:
            return f"{formatting.number(value, places=1)}%"
        return f"{formatting.number(value)}{_unit_word(self, value)}"


def _unit_word(unit: Unit, value: Any = None) -> str:
    """The unit after a figure: Chinese writes the measure word (个, 家) whatever the count;
    English says "1 item" but "292 enterprises"."""
    from django.utils.translation import get_language, npgettext

    if (get_language() or "zh-hans").startswith("zh"):
        return unit.symbol
    try:
        count = 1 if value is not None and Decimal(value) == 1 else 2
    except (ArithmeticError, TypeError, ValueError):
        count = 2
    if unit is Unit.ITEM:
        return " " + npgettext("unit of a count", "item", "items", count)
    if unit is Unit.ENTERPRISE:
        return " " + npgettext("unit of a count", "enterprise", "enterprises", count)
    if unit is Unit.PERSON:
        return " " + npgettext("unit of a count", "person", "people", count)
    if unit is Unit.DAY:
        return " " + npgettext("unit of a count", "day", "days", count)
    return f" {unit.label}"


class Kind(Enum):
    """How a column's value is written into a sheet's cell (core/exports.py)."""

    VALUE = "value"  # as read: numbers and dates stay numbers and dates
    YES_NO = "yes_no"  # a flag, in the reader's language
    # A flag as 是/否 whatever the language: the sheets whose headers are the Chinese ones the
    # enterprise import reads.
    SHI_FOU = "shi_fou"
    PERCENT = "percent"  # a share in per cent, to one decimal place
    NAMES = "names"  # a many-to-many relation: the related records' names, joined by 、

    def cell(self, value: Any) -> Any:
        if self is Kind.YES_NO:
            return str(_("Yes") if value else _("No"))
        if self is Kind.SHI_FOU:
            return "是" if value else "否"
        if self is Kind.PERCENT and value is not None:
            return round(value, 1)
        if self is Kind.NAMES:
            return "、".join(value or ())
        return value


@dataclass(frozen=True)
class Column:
    """A column of a metric's record table or of a list's export: a label, a dotted attribute
    path, and the kind of cell it makes in a sheet."""

    label: Promise | str
    path: str
    kind: Kind = Kind.VALUE

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
class Said:
    """How Chinese reports write a metric, so that 数据核对 (gaoxin/factcheck) can tell which
    figure of a text it is: the words written beside the number ("已签约", "在库企业", "出租率"),
    the measure words after a count ("个", "家", "场"; money, areas and shares are known by the
    metric's unit), and the subject the figure belongs to (a key of SUBJECTS: the 产业空间
    projects rather than all projects, a campaign, an award batch). Declared beside the metric's
    definition (`@metric(..., said=Said(...))`, or on a family), so a new metric brings its own."""

    words: tuple[str, ...]
    measures: tuple[str, ...] = ()
    subject: str = ""


@dataclass(frozen=True)
class Subject:
    """What a sentence of a report is about, carried across its clauses ("入驻项目126个，其中已签约
    96个" — the 96 are the same projects): the words that introduce it. A subject that is a
    record (a campaign, an award batch) is named in the text by the record's name; its metrics
    are a family's members, found by `MetricFamily.names`."""

    key: str
    label: Promise | str
    words: tuple[str, ...] = ()


SUBJECTS: dict[str, Subject] = {}


def subject(key: str, label: Promise | str, *words: str) -> Subject:
    """Declare a subject of reports (once per key, in the app whose records it is)."""
    if key in SUBJECTS:
        raise ValueError(f"report subject {key!r} is declared twice")
    SUBJECTS[key] = Subject(key, label, tuple(words))
    return SUBJECTS[key]


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
    # Siblings (see the module's docstring): the shared records and this metric's condition.
    base: Callable[[MetricScope], models.QuerySet[Any]] | None = None
    condition: Callable[[MetricScope], models.Q] | None = None
    # How reports write it (see Said); None for a figure reports do not state.
    said: Said | None = None
    # False when the records of several zones are not the disjoint union of each zone's (a
    # user linked to two zones, an enterprise paid by two zones' batches, counted once), or
    # when the scope decides which records count (the economy's "latest month with figures"
    # and the radars' month are the latest of all the zones: a zone whose month is not in yet
    # counts that month, not its own): see `sums_over_zones`. It can only say no; None leaves
    # the rule to decide.
    additive: bool | None = None

    @property
    def sums_over_zones(self) -> bool:
        """Whether the value over several zones is the sum of the value over each zone alone
        (so `Values` adds the zones' own cached values instead of reading all the zones'
        records). Conservative: a count or a sum of one field, with no `compute` (a ratio, a
        growth) and no mean, not a member about one zone's record, and not opted out by
        `additive=False` where its records of several zones may hold one record twice."""
        return (
            self.additive is not False
            and self.compute is None
            and self.zone_id is None
            and (self.sum_field is None or self.aggregate == "sum")
        )

    def value(self, scope: MetricScope) -> int | Decimal:
        return self.evaluate(scope)[0]

    def evaluate(self, scope: MetricScope) -> tuple[int | Decimal, models.QuerySet[Any]]:
        queryset = self.records(scope)
        if self.compute is not None:
            return self.compute(queryset, scope), queryset
        if self.sum_field is None:
            return queryset.count(), queryset
        raw = queryset.aggregate(value=self.aggregation())["value"]
        return self.fold(raw), queryset

    def aggregation(self, condition: models.Q | None = None) -> models.Aggregate:
        """The aggregate giving this metric's value over its records (or, with a condition,
        over those of a base queryset that meet it)."""
        if self.sum_field is None:
            return models.Count("pk", filter=condition)
        function = {"sum": models.Sum, "avg": models.Avg}[self.aggregate]
        return function(self.sum_field, filter=condition)

    def fold(self, raw: Any) -> int | Decimal:
        if self.sum_field is None:
            count: int = raw or 0
            return count
        if raw is None:
            return Decimal(0)
        if self.aggregate == "avg":
            return Decimal(str(raw)).quantize(Decimal("0.1"))
        total: int | Decimal = raw  # a Sum of the field's own type
        return total

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
    # How reports write its members (each member made by `make` carries it too), and the
    # names a report gives the records its parameters stand for in a scope ({param: name}),
    # so a text naming "2022年广东省专精特新中小企业" finds the campaign's member.
    said: Said | None = None
    names: Callable[[MetricScope], dict[str, str]] | None = None
    # Several members' values at once, from one grouped query: given parameters, {param:
    # value} for those it reads, each the value the member's own `value` gives (a test holds
    # every family to it). A parameter it leaves out is read alone.
    batch: Callable[[list[str], MetricScope], dict[str, int | Decimal]] | None = None

    def member(self, param: str) -> Metric | None:
        """The member for a parameter, carrying the family's `said` when `make` gave it none."""
        member = self.make(param)
        if member is not None and member.said is None and self.said is not None:
            import dataclasses

            member = dataclasses.replace(member, said=self.said)
        return member


def _has_subquery(expression: Any) -> bool:
    """Whether an annotation computes a subquery (per row, unless kept apart)."""
    if getattr(expression, "subquery", False):
        return True
    return any(_has_subquery(e) for e in expression.get_source_expressions() if e is not None)


class MetricRegistry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self._families: dict[str, MetricFamily] = {}
        self._siblings: dict[Any, list[Metric]] = {}

    def siblings(self, metric: Metric) -> list[Metric]:
        """The registered metrics sharing this one's base (itself included)."""
        return self._siblings.get(metric.base, []) if metric.base is not None else []

    def evaluate_siblings(self, metric: Metric, scope: MetricScope) -> dict[str, int | Decimal]:
        """The values of `metric` and all its siblings, from one aggregate query."""
        siblings = self.siblings(metric)
        if metric.base is None or metric not in siblings:
            return {metric.key: metric.value(scope)}
        aggregates = {}
        for index, sibling in enumerate(siblings):
            # A sibling always has a condition (registered with a base); the type allows none.
            condition = sibling.condition(scope) if sibling.condition is not None else None
            aggregates[f"m{index}"] = sibling.aggregation(condition or None)
        base = metric.base(scope).order_by()
        vendor = connections[base.db].vendor
        if base.query.annotations and (
            vendor == "postgresql"
            or (vendor == "sqlite" and any(map(_has_subquery, base.query.annotations.values())))
        ):
            # PostgreSQL pulls the annotated rows up into the aggregate and repeats each
            # annotation's subquery at every condition that reads it: the pipeline's stage as
            # of a past day ran 51 times per project, 13.5 s over a province's 20,000 projects
            # (issue 19). A LIMIT keeps the rows a subquery, each annotation computed once.
            # SQLite flattens a subquery annotation the same way (the dashboard's 同比
            # pipeline a year back: 363 ms, 158 ms with the LIMIT, in a zone of 6,667
            # projects); a plain column annotation is cheaper flattened there.
            base = base[:UNLIMITED]
        row = base.aggregate(**aggregates)
        return {s.key: s.fold(row[f"m{i}"]) for i, s in enumerate(siblings)}

    def families(self) -> list[MetricFamily]:
        """The registered families, by prefix."""
        return sorted(self._families.values(), key=lambda f: f.prefix)

    def register_family(self, family: MetricFamily) -> MetricFamily:
        if family.prefix in self._families:
            raise ValueError(f"metric family {family.prefix!r} is registered twice")
        self._families[family.prefix] = family
        return family

    def find(self, key: str) -> Metric | None:
        """A registered metric, or one of a family by its full key."""
        if key in self._metrics:
            return self._metrics[key]
        found = self.family_of(key)
        return found[0].member(found[1]) if found is not None else None

    def family_of(self, key: str) -> tuple[MetricFamily, str] | None:
        """The family a key names a member of, and the member's parameter (None for a
        registered metric's key, or a key of no family)."""
        if key in self._metrics:
            return None
        # The longest registered prefix names the family; the rest (which may hold dots:
        # "economy.ytd" + "revenue.industry.5") is its parameter.
        prefix, param = key, ""
        while "." in prefix:
            prefix, _, last = prefix.rpartition(".")
            param = f"{last}.{param}" if param else last
            family = self._families.get(prefix)
            if family is not None:
                return (family, param) if last else None
        return None

    def expanded(self, scope: MetricScope) -> list[Metric]:
        """Every metric, with each family's members that exist in the scope."""
        metrics = list(self._metrics.values())
        for family in self._families.values():
            metrics.extend(m for m in (family.member(p) for p in family.params(scope)) if m)
        return sorted(metrics, key=lambda m: m.key)

    def register(self, metric: Metric) -> Metric:
        if metric.key in self._metrics:
            raise ValueError(f"metric {metric.key!r} is registered twice")
        self._metrics[metric.key] = metric
        if metric.base is not None:
            self._siblings.setdefault(metric.base, []).append(metric)
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


# The areas of the figure index, in the order it shows them, each named by the first part of
# its metrics' keys ("projects.reached.signed" is a project figure). One place decides them.
AREAS: tuple[tuple[tuple[str, ...], Promise], ...] = (
    (("projects",), _("Projects")),
    (("approvals", "blockers"), _("Approvals and blockers")),
    (("leads",), _("Leads")),
    (("enterprises",), _("Enterprises")),
    (("economy",), _("Economic operation")),
    (("radar",), _("Enterprise cultivation")),
    (("industries",), _("Industries")),
    (("spaces",), _("Industrial spaces")),
    (("policies",), _("Policies")),
    (("campaigns", "awards"), _("Campaigns and awards")),
    (("accounts",), _("Accounts")),
)
OTHER_AREA: Promise = _("Other")


def area_of(key: str) -> tuple[int, Promise]:
    """The index area of a metric key: its place in AREAS and its name."""
    prefix = key.split(".", 1)[0]
    for index, (prefixes, name) in enumerate(AREAS):
        if prefix in prefixes:
            return index, name
    return len(AREAS), OTHER_AREA


class Values:
    """The values of metrics in one scope, each read once; the first sibling asked for reads
    all its siblings (one query), so the next ones cost nothing.

    Over several zones, a metric that adds up over zones (`Metric.sums_over_zones`) is the sum
    of each zone's own value, read through that zone's cache (and computed there, siblings
    and families together, when it is missing): the zones' figures are mostly warm already
    (dashboard/warm.py warms each zone), so a province's thirty zones cost thirty cache reads
    rather than one scan of all their records, and a write in one zone recomputes that zone's
    part only (issue 19). Cold zones are read per zone too: each zone's query is one
    thirtieth of the scan, and what it computes is then warm for that zone's own readers and
    for every other scope holding the zone. The sum is cached under the scope's own key too,
    so a warm read of the scope is still one cache get."""

    def __init__(self, scope: MetricScope) -> None:
        from gaoxin.core.figure_cache import ScopeCache

        self.scope = scope
        self._values: dict[str, int | Decimal] = {}
        # Values already computed for this scope by any process, while its zones' records
        # have not changed (core/figure_cache.py).
        self._cache = ScopeCache(scope.zone_ids, scope.as_of)
        self._zones: list[Values] | None = None

    def _per_zone(self, metric: Metric) -> list[Values] | None:
        """Each zone's own values, when the metric is read as their sum here: over several
        zones, a metric that adds up, and a cache to read them from (a reader in a
        transaction that wrote reads the records directly: per zone would only cost more)."""
        from gaoxin.core import figure_cache

        if len(self.scope.zone_ids) < 2 or not metric.sums_over_zones:
            return None
        if not figure_cache.usable():
            return None
        if self._zones is None:
            as_of = self.scope.as_of
            self._zones = [Values(MetricScope((z,), as_of)) for z in self.scope.zone_ids]
        return self._zones

    def __call__(self, metric: Metric) -> int | Decimal:
        if metric.key not in self._values:
            # A key names one figure (a family's member included), so its value is cached by
            # key alone.
            cached = self._cache.get(metric.key)
            if cached is not None:
                self._values[metric.key] = cached
            elif (zones := self._per_zone(metric)) is not None:
                self._values[metric.key] = value = _add([zone(metric) for zone in zones])
                self._cache.put({metric.key: value})
            elif metric.base is not None and registry.find(metric.key) is metric:
                computed = registry.evaluate_siblings(metric, self.scope)
                self._values.update(computed)
                self._cache.put(computed)
            else:
                self._values[metric.key] = value = metric.value(self.scope)
                self._cache.put({metric.key: value})
        return self._values[metric.key]

    def prefetch(self, metrics: Iterable[Metric]) -> None:
        """Read the values of many metrics with few queries, for a page that shows them all
        (the index): each group of siblings in one aggregate, and the members asked for of
        each family that can read several at once in one grouped query (`MetricFamily.batch`);
        the cache written once. A metric neither covers is left to be read alone. Over
        several zones, the metrics that add up are prefetched in each zone and summed."""
        computed: dict[str, int | Decimal] = {}
        bases: set[Any] = set()
        wanted: dict[str, tuple[MetricFamily, list[str]]] = {}
        summed: list[Metric] = []
        for metric in metrics:
            key = metric.key
            if key in self._values or key in computed:
                continue
            cached = self._cache.get(key)
            if cached is not None:
                self._values[key] = cached
            elif self._per_zone(metric) is not None:
                summed.append(metric)
            elif metric.base is not None and registry.find(key) is metric:
                if metric.base not in bases:
                    bases.add(metric.base)
                    computed.update(registry.evaluate_siblings(metric, self.scope))
            elif (found := registry.family_of(key)) is not None and found[0].batch is not None:
                family, param = found
                wanted.setdefault(family.prefix, (family, []))[1].append(param)
        for family, params in wanted.values():
            if len(params) < 2:
                continue  # one member alone: its own query
            assert family.batch is not None
            read = family.batch(params, self.scope)
            computed.update({f"{family.prefix}.{p}": v for p, v in read.items() if p in params})
        if summed and self._zones is not None:
            for zone in self._zones:
                zone.prefetch(summed)
            for metric in summed:
                if metric.key not in computed:
                    computed[metric.key] = _add([zone(metric) for zone in self._zones])
        self._values.update(computed)
        self._cache.put(computed)


def _add(parts: list[int | Decimal]) -> int | Decimal:
    """The sum of the zones' values of a metric, of the type its value over all the zones has:
    a sum over no rows is Decimal(0) whatever the field (`Metric.fold`), so a zone with none
    adds nothing to the integer sum of the zones that have some."""
    if all(isinstance(p, Decimal) for p in parts):
        return sum(parts[1:], parts[0])
    total: int | Decimal = sum(p for p in parts if not isinstance(p, Decimal))
    for part in parts:
        if isinstance(part, Decimal) and part != 0:
            total += part
    return total


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
    base: Callable[[MetricScope], models.QuerySet[Any]] | None = None,
    order: Iterable[str] = (),
    related: Iterable[str] = (),
    said: Said | None = None,
    additive: bool | None = None,
) -> Callable[[Callable[[MetricScope], Any]], Metric]:
    """Register the decorated records function as a metric; with `base`, the decorated
    function is the metric's condition on the base's records (a Q of the scope), and the
    records are those meeting it, with `related` selected and in `order`."""
    order, related = tuple(order), tuple(related)

    def decorate(function: Callable[[MetricScope], Any]) -> Metric:
        records, condition = function, None
        if base is not None:
            condition = function

            def records(scope: MetricScope) -> models.QuerySet[Any]:
                queryset = base(scope)
                where = condition(scope)
                if where:
                    queryset = queryset.filter(where)
                if related:
                    queryset = queryset.select_related(*related)
                return queryset.order_by(*order) if order else queryset

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
                base=base,
                condition=condition,
                said=said,
                additive=additive,
            )
        )

    return decorate


def breakdown(
    base_key: str, by: str, lookup: str, model: Any, *, subject: str = ""
) -> MetricFamily:
    """`<base_key>.<by>.<id>`: the base metric's records narrowed to one record of `model`
    (an industry, a department), so a bar or a table cell of a breakdown opens exactly its
    own records. Not listed in the index: there is one per record.

    A report writes a member as the base metric with the record's name ("储能产业固定资产投资
    …亿元"): with `subject` (the report subject of `model`'s records), the members say what the
    base says about that subject, and the family names the scope's records by their names."""
    import dataclasses

    from django.utils.text import format_lazy

    prefix = f"{base_key}.{by}"
    base_metric = registry.find(base_key)
    said = None
    if subject and base_metric is not None and base_metric.said is not None:
        said = dataclasses.replace(base_metric.said, subject=subject)

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
            base=None,
            condition=None,
            said=said,
        )

    def names(scope: MetricScope) -> dict[str, str]:
        rows = model._default_manager.filter(zone_id__in=scope.zone_ids)
        return {str(pk): name for pk, name in rows.values_list("pk", "name")}

    return registry.register_family(
        MetricFamily(prefix, make, lambda scope: [], said=said, names=names if said else None)
    )


def json_number(value: int | Decimal) -> int | float | None:
    """A figure as a JSON number: whole numbers stay integers (money is in yuan); a figure
    that cannot be computed (NaN: a growth on nothing) is null."""
    if isinstance(value, Decimal) and value.is_nan():
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
