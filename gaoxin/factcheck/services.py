"""数据核对: check a report's text against the records.

`check` prepares the text (reading.prepare), finds its numbers (reading.read), tells which
metric each figure is (matching.match, by the metrics' `Said`), and reads each chosen metric
for the report's day as known today and, for a past day, as known then (core/rewind.py).

The values are read through `Values`: each metric once, siblings (the pipeline's figures) in
one aggregate, so a long text costs no more queries than the metrics it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from gaoxin.core import rewind
from gaoxin.core.figures import metric_url
from gaoxin.core.metrics import Metric, MetricFamily, MetricScope, Values
from gaoxin.factcheck import checking, matching, reading
from gaoxin.factcheck.types import Finding, Report, Verdict


def values_then(
    known_on: dt.date, scope: MetricScope, keys: list[str]
) -> dict[str, int | Decimal] | None:
    """The metrics' values for the scope as the records were known at the end of `known_on`
    (core/rewind.py), None when that cannot be told (too much written since, or a metric the
    registry does not know: a caller's own)."""
    if not keys:
        return {}
    try:
        return rewind.values_as_known_on(known_on, scope, keys)
    except KeyError:
        return None


def _zone_code(zone_ids: tuple[int, ...]) -> str:
    """The zone the records' links are scoped to, when the check is of one zone."""
    if len(zone_ids) != 1:
        return ""
    from gaoxin.accounts.models import Zone

    return Zone.objects.filter(pk=zone_ids[0]).values_list("code", flat=True).first() or ""


def check(
    text: str,
    zone_ids: Iterable[int],
    as_of: dt.date | None = None,
    *,
    today: dt.date | None = None,
    metrics: Iterable[Metric] | None = None,
    families: Iterable[MetricFamily] | None = None,
) -> Report:
    """The text's figures checked for the zones on `as_of` (default: the day the text speaks
    of, else today). `metrics` and `families` default to the registry's."""
    today = today or timezone.localdate()
    prepared = reading.prepare(text)
    mentions = reading.read(prepared)
    said_day = reading.said_day(prepared, today)
    day = as_of or said_day or today
    scope = MetricScope.of(zone_ids, day)
    assignments = matching.match(prepared, mentions, scope, metrics, families)
    values = Values(scope)
    keys = sorted({a.metric.key for a in assignments if a.metric is not None})
    then = values_then(day, scope, keys) if day < today and keys else None
    zone_code = _zone_code(scope.zone_ids)
    findings = []
    for assignment in assignments:
        metric = assignment.metric
        if metric is None:
            findings.append(
                Finding(assignment.mention, Verdict.UNRECOGNISED, candidates=assignment.candidates)
            )
            continue
        now = checking.reading_for(
            assignment.mention, metric, values(metric), negated=assignment.negated
        )
        earlier = None
        if then is not None and metric.key in then:
            earlier = checking.reading_for(
                assignment.mention, metric, then[metric.key], negated=assignment.negated
            )
        findings.append(
            Finding(
                assignment.mention,
                Verdict.AGREES if now.agrees else Verdict.DISAGREES,
                key=metric.key,
                label=str(metric.label),
                candidates=assignment.candidates,
                now=now,
                then=earlier,
                records_url=metric_url(metric.key, as_of=day, zone_code=zone_code),
            )
        )
    return Report(prepared, scope.zone_ids, day, tuple(findings), said_day=said_day)
