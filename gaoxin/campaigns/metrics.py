"""Figures of application campaigns and award batches, each a family keyed by the campaign's
or the batch's id, all read from dated records so that each can be asked as of any day:

- campaigns.total.<id>            applications started by the date
- campaigns.applying.<id>         enterprises applying: a change into 已提交 or later by the date
- campaigns.approved.<id>         applications approved (认定通过) by the date
- campaigns.status_<status>.<id>  applications whose latest change by the date is into <status>
- awards.batch_total.<id>         the sum of all the batch's awards (as recorded now)
- awards.batch_enterprises.<id>   the enterprises awarded in the batch (as recorded now)
- awards.paid.<id>                the sum paid by the date
- awards.paid_enterprises.<id>    the enterprises paid by the date (Enterprise records)
- awards.paid, awards.paid_enterprises   the same over every batch of the zones

The metrics registry discovers this module (core's ready()); importing it registers them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.campaigns import award_selectors, selectors
from gaoxin.campaigns.models import (
    APPLICATION_ORDER,
    Application,
    ApplicationStatus,
    Award,
    AwardBatch,
    Campaign,
)
from gaoxin.core.metrics import (
    Column,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    metric,
    registry,
    subject,
)
from gaoxin.enterprises.models import Enterprise

GROUP = _("Applications and awards")

APPLICATION_COLUMNS = (
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("Unified social credit code"), "enterprise.uscc"),
    Column(_("Campaign"), "campaign.name"),
    Column(_("Current status"), "get_status_display"),
    Column(_("Status since"), "status_on"),
)
AWARD_COLUMNS = (
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("Unified social credit code"), "enterprise.uscc"),
    Column(_("Batch"), "batch.name"),
    Column(_("Reason"), "reason"),
    Column(_("Amount (yuan)"), "amount"),
    Column(_("Status"), "get_status_display"),
    Column(_("Paid on"), "paid_on"),
)
ENTERPRISE_COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Contact person"), "contact_person"),
    Column(_("Contact phone"), "contact_phone"),
)


# --- how reports write these figures (数据核对) ------------------------------------------------

# A campaign or an award batch is named in a report by its name ("组织156家企业申报2022年广东省
# 专精特新中小企业", "及时拨付第一批…奖励资金共1400多万元，惠及区内20家企业"): the families
# give the names (MetricFamily.names). The awards of every batch are the zone's 政策兑现.
subject("campaign", _("Campaign"))
subject("award_batch", _("Batch"))
subject("awards", _("Awards paid (all batches)"), "政策兑现", "资金兑现", "奖励资金", "扶持资金")

ENTERPRISES = ("家",)
APPLICATIONS = ("个", "家", "份")
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.DRAFT: ("拟申报",),
    ApplicationStatus.SUBMITTED: ("已提交", "提交"),
    ApplicationStatus.ZONE_REVIEW: ("区级审核中", "区级审核", "审核中"),
    ApplicationStatus.RECOMMENDED: ("推荐上报", "已推荐", "推荐"),
    ApplicationStatus.REJECTED: ("未通过", "不予认定", "未获认定"),
    # 认定通过 is campaigns.approved's (the same applications, but for one taken back later).
}


def _names(model: Any, scope: MetricScope, suffix: str = "") -> dict[str, str]:
    rows = model.objects.filter(zone_id__in=scope.zone_ids).values_list("pk", "code", "name")
    return {code or str(pk): name.removesuffix(suffix).strip() or name for pk, code, name in rows}


def campaign_names(scope: MetricScope) -> dict[str, str]:
    """The scope's campaigns as a sentence names them: "组织156家企业申报2022年广东省专精特新中小
    企业" names the campaign "2022年广东省专精特新中小企业申报" without its 申报 (which the
    shorter name still finds)."""
    return _names(Campaign, scope, "申报")


def batch_names(scope: MetricScope) -> dict[str, str]:
    return _names(AwardBatch, scope)


def _by_param(param: str) -> Q:
    """A campaign or batch is named in a key by its code (stable across databases: the seed
    scenario's figures have fixed keys) or, when it has none, by its id."""
    return Q(pk=int(param)) if param.isdigit() else Q(code=param)


def _campaign_in(param: str, scope: MetricScope) -> QuerySet[Campaign, Any]:
    """The campaign, as a subquery, if it is one of the scope's zones (else nothing counts)."""
    return Campaign.objects.filter(_by_param(param), zone_id__in=scope.zone_ids).values("pk")


def _batch_in(param: str, scope: MetricScope) -> QuerySet[AwardBatch, Any]:
    return AwardBatch.objects.filter(_by_param(param), zone_id__in=scope.zone_ids).values("pk")


def _params(model: Any, scope: MetricScope) -> list[str]:
    rows = model.objects.filter(zone_id__in=scope.zone_ids).values_list("pk", "code")
    return sorted({code or str(pk) for pk, code in rows})


def _campaign_params(scope: MetricScope) -> list[str]:
    return _params(Campaign, scope)


def _batch_params(scope: MetricScope) -> list[str]:
    return _params(AwardBatch, scope)


def _named(model: Any, param: str) -> Any:
    """The campaign or batch a key names (the first, if a code is shared by several zones),
    with `key_zone` set when the key is about one zone only."""
    if not param.replace("-", "").replace("_", "").isalnum():
        return None
    found = list(model.objects.filter(_by_param(param)).only("name", "zone_id")[:2])
    if not found:
        return None
    record = found[0]
    record.key_zone = record.zone_id if len({r.zone_id for r in found}) == 1 else None
    return record


def _records_of_params(model: Any, params: list[str], scope: MetricScope) -> dict[int, list[str]]:
    """The scope's campaigns (or batches) that the parameters name, each with the parameters
    naming it: a parameter names its record by id, or by code (`_by_param`), and a code may
    name one record in each of several zones."""
    digits = {int(p): p for p in params if p.isdigit()}
    codes = {p for p in params if not p.isdigit()}
    rows = model.objects.filter(zone_id__in=scope.zone_ids).filter(
        Q(pk__in=list(digits)) | Q(code__in=list(codes))
    )
    found: dict[int, list[str]] = {}
    for pk, code in rows.values_list("pk", "code"):
        named = [digits[pk]] if pk in digits else []
        named += [code] if code in codes else []
        found[pk] = named
    return found


def _grouped(
    records: QuerySet[Any],
    by: str,
    named: dict[int, list[str]],
    params: list[str],
    aggregate: Any,
    *,
    additive: bool = True,
) -> dict[str, Any]:
    """Each parameter's raw aggregate (None over no rows) from one query of every member's
    records grouped by the field naming the member (`by`). A parameter naming several records
    adds their groups up when the figure adds up (`additive`: a count or a sum of rows, not a
    count of distinct enterprises); otherwise it is left out, to be read alone."""
    naming: dict[str, int] = {}
    for names in named.values():
        for p in names:
            naming[p] = naming.get(p, 0) + 1
    values: dict[str, Any] = {p: None for p in params if additive or naming.get(p, 0) <= 1}
    rows = records.order_by().values(by).annotate(value=aggregate).values_list(by, "value")
    for pk, value in rows:
        for p in named.get(pk, ()):
            if p in values and value is not None:
                values[p] = value if values[p] is None else values[p] + value
    return values


# --- campaigns -----------------------------------------------------------------------------


def _application_family(
    prefix: str,
    label: Any,
    records: Callable[[Any, Any], QuerySet[Application]],
    unit: Unit = Unit.ITEM,
    description: Any = "",
    said: Said | None = None,
) -> MetricFamily:
    def make(param: str) -> Metric | None:
        campaign = _named(Campaign, param)
        if campaign is None:
            return None

        def scoped(scope: MetricScope) -> QuerySet[Application]:
            return (
                records(_campaign_in(param, scope), scope.as_of)
                .select_related("enterprise", "campaign")
                .order_by("enterprise__name", "pk")
            )

        return Metric(
            key=f"{prefix}.{param}",
            label=format_lazy("{label} · {campaign}", label=label, campaign=campaign.name),
            unit=unit,
            records=scoped,
            columns=APPLICATION_COLUMNS,
            description=description,
            group=GROUP,
            zone_id=campaign.key_zone,
            said=said,
        )

    def batch(params: list[str], scope: MetricScope) -> dict[str, int | Decimal]:
        # Every member's applications in one query, counted by campaign.
        named = _records_of_params(Campaign, params, scope)
        raw = _grouped(records(list(named), scope.as_of), "campaign_id", named, params, Count("pk"))
        return {param: value or 0 for param, value in raw.items()}

    return registry.register_family(
        MetricFamily(
            prefix,
            make,
            _campaign_params,
            said=said,
            names=campaign_names if said else None,
            batch=batch,
        )
    )


_application_family(
    "campaigns.total",
    _("Applications started"),
    selectors.started,
    description=_("Applications with a status change on or before the date."),
    said=Said(("发起申报", "填报", "申报材料"), ("份", "个"), "campaign"),
)
_application_family(
    "campaigns.applying",
    _("Enterprises applying"),
    selectors.applying,
    unit=Unit.ENTERPRISE,
    description=_(
        "Enterprises whose application entered 已提交 or a later status on or before the date."
    ),
    # 组织156家企业申报2022年广东省专精特新中小企业
    said=Said(("组织", "企业申报", "申报"), ENTERPRISES, "campaign"),
)
_application_family(
    "campaigns.approved",
    _("Applications approved (认定通过)"),
    selectors.approved,
    unit=Unit.ENTERPRISE,
    said=Said(("认定通过", "通过认定", "获认定", "获批"), ENTERPRISES, "campaign"),
)


def _status_records(status: str) -> Callable[[Any, Any], QuerySet[Application]]:
    def records(campaign_ids: Any, as_of: Any) -> QuerySet[Application]:
        return selectors.at_status(campaign_ids, as_of, status)

    return records


for _status in (*APPLICATION_ORDER, ApplicationStatus.REJECTED):
    _application_family(
        f"campaigns.status_{_status.value}",
        format_lazy(_("Applications at {status}"), status=_status.label),
        _status_records(_status.value),
        description=_("Applications whose latest status change on or before the date is this."),
        said=Said(STATUS_WORDS[_status], APPLICATIONS, "campaign")
        if _status in STATUS_WORDS
        else None,
    )


# --- award batches -------------------------------------------------------------------------


def _batch_family(
    prefix: str,
    label: Any,
    awards: Callable[[Any, MetricScope], QuerySet[Award]],
    *,
    unit: Unit,
    sum_field: str | None = None,
    description: Any = "",
    said: Said | None = None,
) -> MetricFamily:
    """A figure of each batch over its awards (`awards`, of batch ids and the scope): their
    sum of `sum_field`, or without one the enterprises they go to."""

    def records(batch_ids: Any, scope: MetricScope) -> QuerySet[Any]:
        if sum_field is None:
            return award_selectors.enterprises_of(awards(batch_ids, scope)).order_by("name")
        return _awards(awards(batch_ids, scope))

    def make(param: str) -> Metric | None:
        batch = _named(AwardBatch, param)
        if batch is None:
            return None
        return Metric(
            key=f"{prefix}.{param}",
            label=format_lazy("{label} · {batch}", label=label, batch=batch.name),
            unit=unit,
            records=lambda scope: records(_batch_in(param, scope), scope),
            sum_field=sum_field,
            columns=AWARD_COLUMNS if sum_field else ENTERPRISE_COLUMNS,
            description=description,
            group=GROUP,
            zone_id=batch.key_zone,
            said=said,
            # Enterprises counted once over the batches of several zones a code names (an
            # enterprise may be awarded by two zones' batches): not the sum of each zone's.
            additive=False if sum_field is None else None,
        )

    def batch(params: list[str], scope: MetricScope) -> dict[str, int | Decimal]:
        # Every member's awards in one query, by batch: the sum, or the enterprises counted
        # once each (which do not add up over the batches a shared code names).
        named = _records_of_params(AwardBatch, params, scope)
        rows = awards(list(named), scope)
        if sum_field is None:
            counted = Count("enterprise_id", distinct=True)
            raw = _grouped(rows, "batch_id", named, params, counted, additive=False)
            return {param: value or 0 for param, value in raw.items()}
        raw = _grouped(rows, "batch_id", named, params, Sum(sum_field))
        return {param: Decimal(0) if value is None else value for param, value in raw.items()}

    return registry.register_family(
        MetricFamily(
            prefix,
            make,
            _batch_params,
            said=said,
            names=batch_names if said else None,
            batch=batch,
        )
    )


def _awards(queryset: QuerySet[Award]) -> QuerySet[Award]:
    return queryset.select_related("enterprise", "batch").order_by("enterprise__name", "pk")


_batch_family(
    "awards.batch_total",
    _("Awards in the batch"),
    lambda ids, scope: award_selectors.batch_awards(ids),
    unit=Unit.YUAN,
    sum_field="amount",
    description=_("The sum of every award of the batch, whatever its status."),
    said=Said(("奖励资金总额", "拟奖励资金", "下达奖励资金", "下达"), subject="award_batch"),
)
_batch_family(
    "awards.batch_enterprises",
    _("Enterprises awarded in the batch"),
    lambda ids, scope: award_selectors.batch_awards(ids),
    unit=Unit.ENTERPRISE,
    said=Said(("获奖励企业", "拟奖励企业", "获得奖励"), ENTERPRISES, "award_batch"),
)
_batch_family(
    "awards.paid",
    _("Awards paid"),
    lambda ids, scope: award_selectors.paid_by(ids, scope.as_of),
    unit=Unit.YUAN,
    sum_field="amount",
    description=_("Awards of the batch paid (已拨付) on or before the date."),
    # 及时拨付第一批…奖励资金共1400多万元
    said=Said(("拨付", "奖励资金", "资金", "兑现"), subject="award_batch"),
)
_batch_family(
    "awards.paid_enterprises",
    _("Enterprises paid"),
    lambda ids, scope: award_selectors.paid_by(ids, scope.as_of),
    unit=Unit.ENTERPRISE,
    description=_("Enterprises with an award of the batch paid on or before the date."),
    # 惠及区内20家企业
    # (not 企业 alone, which follows nearly every count of enterprises)
    said=Said(("惠及", "受惠企业", "获奖企业", "企业拿到"), ENTERPRISES, "award_batch"),
)


@metric(
    "awards.paid",
    label=_("Awards paid (all batches)"),
    unit=Unit.YUAN,
    sum_field="amount",
    columns=AWARD_COLUMNS,
    group=GROUP,
    description=_("Awards of the zone paid (已拨付) on or before the date, over every batch."),
    said=Said(
        ("累计拨付", "累计兑现", "各类奖励资金", "兑现奖励资金", "奖励资金"), subject="awards"
    ),
)
def paid(scope: MetricScope) -> QuerySet[Award]:
    return _awards(award_selectors.paid_in_zones(scope.zone_ids, scope.as_of))


@metric(
    "awards.paid_enterprises",
    label=_("Enterprises paid an award (all batches)"),
    unit=Unit.ENTERPRISE,
    columns=ENTERPRISE_COLUMNS,
    group=GROUP,
    description=_("Enterprises with an award paid on or before the date, over every batch."),
    said=Said(("累计惠及", "惠及", "受惠企业", "企业拿到"), ENTERPRISES, "awards"),
    # An enterprise paid by two zones' batches counts once over both zones.
    additive=False,
)
def paid_enterprises(scope: MetricScope) -> QuerySet[Enterprise]:
    return award_selectors.enterprises_of(
        award_selectors.paid_in_zones(scope.zone_ids, scope.as_of)
    ).order_by("name")
