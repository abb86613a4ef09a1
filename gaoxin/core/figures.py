"""Reading figures: one `Figure` type (a registered metric's value, how it is shown, and the
link to its records) and one reader, `Figures(scope)`, that reads each metric once (siblings in
one aggregate, through `core.metrics.Values`). The dashboard, the briefing, the action plan's
targets and the list pages all read their numbers here, and all link with `metric_url`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet

from gaoxin.core.figure_cache import ScopeCache
from gaoxin.core.metrics import Metric, MetricScope, Values, registry
from gaoxin.core.reversing import remembered_reverse

T = TypeVar("T")


def metric_url(key: str, *, as_of: dt.date | None, zone_code: str = "") -> str:
    """The page of the records behind a figure, in the scope the figure was read in. Without
    a day the link opens the records as of today (the records page's default), so a page
    showing today's figures links without one."""
    query = {}
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    if zone_code:
        query["zone"] = zone_code
    # A province's dashboard links 800-odd figures (240 industries, 180 departments, twice):
    # each reversed afresh was a third of its warm view.
    url = remembered_reverse("core:metric_detail", args=[key])
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Figure:
    """One number on a page or in a text: its metric, value, the value as shown, and the URL
    of its records."""

    metric: Metric
    value: int | Decimal
    shown: str
    url: str

    # Lets a template tell a figure from the text around it (the briefing's parts).
    is_figure: ClassVar[bool] = True

    @property
    def key(self) -> str:
        return self.metric.key

    @property
    def label(self) -> Any:
        return self.metric.label

    @property
    def unit(self) -> str:
        return self.metric.unit.symbol

    def shown_as(self, shown: str) -> Figure:
        """The same figure, linking to the same records, shown otherwise (a report's "1400多
        万元", a project's name)."""
        return dataclasses.replace(self, shown=shown)

    def __str__(self) -> str:
        return self.shown


class Figures:
    """The figures of one scope (zones and day), each metric read once.

    `zone_code` goes into the figures' links when the scope is one zone picked by code.
    `allowed_zone_ids`, when given, hides the members of a family about a zone outside it (a
    campaign's figures name the campaign), as the records page would refuse them.
    `dated_links=False` leaves the day out of the links, for a page that shows today's figures
    and links to the records as they stand whenever the link is followed."""

    def __init__(
        self,
        scope: MetricScope,
        *,
        zone_code: str = "",
        allowed_zone_ids: frozenset[int] | None = None,
        dated_links: bool = True,
    ) -> None:
        self.scope = scope
        self.zone_code = zone_code
        self.allowed_zone_ids = allowed_zone_ids
        self.dated_links = dated_links
        self._figures: dict[str, Figure | None] = {}
        self._values = Values(scope)
        self._computed: ScopeCache | None = None

    def url(self, key: str) -> str:
        as_of = self.scope.as_of if self.dated_links else None
        return metric_url(key, as_of=as_of, zone_code=self.zone_code)

    def get(self, key: str) -> Figure | None:
        """The figure of a registered metric, or None if there is no such metric (or it is
        about a zone the reader may not see)."""
        if key not in self._figures:
            metric = registry.find(key)
            if metric is None or not self._allowed(metric):
                self._figures[key] = None
            else:
                value = self._values(metric)
                self._figures[key] = Figure(
                    metric, value, metric.format(value), self.url(metric.key)
                )
        return self._figures[key]

    def value(self, key: str) -> int | Decimal:
        """A metric's value, 0 when there is no such metric."""
        figure = self.get(key)
        return figure.value if figure is not None else 0

    def many(self, keys: list[str]) -> list[Figure]:
        return [f for f in (self.get(key) for key in keys) if f is not None]

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """A value computed from the scope's records besides the metrics' values (a chart's
        grouped counts, the records a section names), through the figures cache like
        `figure_cache.cached`, the reader's values sharing one read of the zones'
        generations. Cache values, not text: what is shown is built in the reader's language
        from them. `name` says everything the value depends on beyond the zones and the day."""
        if self._computed is None:
            self._computed = ScopeCache(self.scope.zone_ids, self.scope.as_of, namespace="c")
        return self._computed.through(name, compute)

    def records(self, key: str) -> QuerySet[Any]:
        return registry.get(key).records(self.scope)

    def _allowed(self, metric: Metric) -> bool:
        return (
            self.allowed_zone_ids is None
            or metric.zone_id is None
            or metric.zone_id in self.allowed_zone_ids
        )
