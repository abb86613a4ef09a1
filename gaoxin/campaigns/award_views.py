"""Award batch pages (奖励资金): the batches with their totals, a batch with its awards and its
public list (公示名单) for export, adding an award, announcing and paying.

An enterprise user's /awards/ lists their own awards only, never a batch or its totals.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.campaigns import award_selectors as selectors
from gaoxin.campaigns import award_services as services
from gaoxin.campaigns import metrics  # noqa: F401  (registers the figures linked to)
from gaoxin.campaigns.award_forms import (
    AwardAddForm,
    AwardBatchForm,
    AwardChangeForm,
    AwardCorrectForm,
    AwardFilterForm,
    AwardWithdrawForm,
    BatchAnnounceForm,
    BatchFilterForm,
)
from gaoxin.campaigns.models import Award, AwardBatch, AwardStatus
from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.figures import Figure, Figures, metric_url
from gaoxin.core.forms import save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column, MetricScope
from gaoxin.core.pagination import LookaheadPage, lookahead_page, query_without_page
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.core.zones import zone_for_new_record
from gaoxin.enterprises.selectors import enterprise_list_for_user, enterprise_matches

BATCH_COLUMNS = (
    Column("奖励资金批次", "name"),
    Column("依据政策", "policy.title"),
    Column("公示日期", "announced_on"),
    Column("奖励企业数", "award_enterprises"),
    Column("奖励总额（元）", "award_total"),
    Column("已拨付企业数", "paid_enterprises"),
    Column("已拨付金额（元）", "paid_total"),
)
PUBLIC_LIST_COLUMNS = (
    Column("序号", "number"),
    Column("企业名称", "enterprise.name"),
    Column("统一社会信用代码", "enterprise.uscc"),
    Column("奖励事由", "reason"),
    Column("奖励金额（元）", "amount"),
    Column("状态", "get_status_display"),
    Column("拨付日期", "paid_on"),
)


# --- batches -------------------------------------------------------------------------------


@login_required
@require_GET
def award_list(request: AuthedRequest) -> HttpResponse:
    if role_of(request.user) == Role.ENTERPRISE:
        return _own_awards(request)
    require_roles(request.user, STAFF_ROLES)
    form = BatchFilterForm(request.GET)
    queryset = filtered(form, partial(selectors.batch_search, request.user), AwardBatch)
    if request.GET.get("export") == "xlsx":
        queryset = _with_sums(queryset)
    today = timezone.localdate()

    def rows(page: LookaheadPage) -> dict[str, Any]:
        figures = selectors.batch_figures([b.pk for b in page.object_list], today)
        shown: dict[str, Any] = {
            "rows": [
                {
                    "batch": b,
                    "figures": figures[b.pk],
                    "links": {
                        name: metric_url(f"awards.{name}.{b.pk}", as_of=None)
                        for name in ("batch_total", "batch_enterprises", "paid", "paid_enterprises")
                    },
                }
                for b in page.object_list
            ]
        }
        if not request.htmx:
            shown["zone_figures"] = _zone_figures(request)
        return shown

    return render_list(
        request,
        form,
        queryset,
        template="campaigns/award_list.html",
        fragment="campaigns/award_list_results.html",
        export=Export(BATCH_COLUMNS, "奖励资金批次"),
        default_sort="-created",
        extra=rows,
    )


def _zone_figures(request: AuthedRequest) -> list[Figure]:
    """The awards paid in the user's working zones, atop the list."""
    figures = Figures(MetricScope.of(working_zone_ids(request.user)), dated_links=False)
    return figures.many(["awards.paid", "awards.paid_enterprises"])


def _own_awards(request: AuthedRequest) -> HttpResponse:
    queryset = selectors.own_awards(request.user)
    page = lookahead_page(request, queryset)
    return render(
        request,
        "campaigns/award_mine.html",
        {"page": page, "query": query_without_page(request)},
    )


def _with_sums(queryset: QuerySet[AwardBatch]) -> QuerySet[AwardBatch]:
    """Each batch's awards standing (not withdrawn) and paid: enterprises and amounts."""
    paid = Q(awards__status=AwardStatus.PAID)
    standing = ~Q(awards__status=AwardStatus.WITHDRAWN)
    return queryset.annotate(
        award_total=Coalesce(Sum("awards__amount", filter=standing), Decimal(0)),
        award_enterprises=Count("awards__enterprise", distinct=True, filter=standing),
        paid_total=Coalesce(Sum("awards__amount", filter=paid), Decimal(0)),
        paid_enterprises=Count("awards__enterprise", filter=paid, distinct=True),
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("awards:list")
    form = AwardBatchForm(request.POST or None, zone_id=zone.pk)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_batch_create(zone=zone, by=request.user, **data),
        message=_("%(name)s was added."),
    )
    return saved or render(request, "campaigns/award_batch_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def award_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.award_batch_get_for_user(request.user, pk, write=True)
    form = AwardBatchForm(request.POST or None, instance=batch, zone_id=batch.zone_id)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_batch_update(
            batch=selectors.award_batch_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The award batch was saved."),
    )
    return saved or render(
        request, "campaigns/award_batch_form.html", {"form": form, "batch": batch}
    )


@login_required
@require_GET
def award_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.award_batch_get_for_user(request.user, pk)
    form = AwardFilterForm(request.GET)
    if request.GET.get("export") == "xlsx":
        # 公示名单: whatever the filters, the awards publicly announced (and paid since) that
        # the search names, numbered in the list's order.
        q = form.cleaned_data.get("q", "") if form.is_valid() else ""
        awards = selectors.award_search(batch, q=q, status="public")
        ordering: list[Any] = list(awards.query.order_by)
        queryset = awards.annotate(number=Window(RowNumber(), order_by=ordering))
    else:
        queryset = filtered(form, partial(selectors.award_search, batch), Award)
    results = bool(request.htmx and request.htmx.target == "results")

    def figures(page: LookaheadPage) -> dict[str, Any]:
        if results:
            return {"batch": batch}
        return {
            "batch": batch,
            "figures": selectors.batch_figures([batch.pk], timezone.localdate())[batch.pk],
            "links": {
                name: metric_url(f"awards.{name}.{batch.pk}", as_of=None, zone_code=batch.zone.code)
                for name in ("batch_total", "batch_enterprises", "paid", "paid_enterprises")
            },
            "proposed": batch.awards.filter(status=AwardStatus.PROPOSED).count(),
        }

    return render_list(
        request,
        form,
        queryset,
        template="campaigns/award_detail.html",
        fragment="campaigns/award_detail_results.html" if results else None,
        export=Export(
            PUBLIC_LIST_COLUMNS,
            "公示名单",
            title=f"{batch.name} 公示名单",
            filename=f"公示名单-{batch.pk}.xlsx",
            all_rows=True,
        ),
        extra=figures,
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_announce(request: AuthedRequest, pk: int) -> HttpResponse:
    """公示 of the batch: every proposed award goes on the public list, after a confirmation."""
    batch = selectors.award_batch_get_for_user(request.user, pk, write=True)
    form = BatchAnnounceForm(request.POST or None)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_batch_announce(batch=batch, by=request.user, on=data["on"]),
        message=lambda count: _("%(count)d awards were publicly announced.") % {"count": count},
        to=batch,
    )
    if saved is not None:
        return saved
    proposed = batch.awards.filter(status=AwardStatus.PROPOSED)
    return render(
        request,
        "campaigns/award_announce.html",
        {
            "batch": batch,
            "form": form,
            "proposed": proposed.count(),
            "proposed_total": proposed.aggregate(total=Sum("amount"))["total"] or 0,
        },
    )


# --- awards --------------------------------------------------------------------------------


def _batch_of(award: Award) -> AwardBatch:
    """Where a change to an award leads: back to its batch."""
    return award.batch


@login_required
@require_http_methods(["GET", "POST"])
def award_add(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.award_batch_get_for_user(request.user, pk, write=True)
    q = (request.POST or request.GET).get("q", "")
    picked = (request.POST or request.GET).get("enterprise")
    matches = enterprise_matches(request.user, batch.zone_id, q, picked=picked)
    chosen = next((e for e in matches if str(e.pk) == str(picked)), None)
    enterprises = enterprise_list_for_user(request.user).filter(zone_id=batch.zone_id)
    form = AwardAddForm(
        request.POST or None,
        enterprises=enterprises,
        matches=matches,
        designations=selectors.designations_for_award(chosen),
        initial={"enterprise": picked} if picked else None,
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_add(batch=batch, by=request.user, **data),
        message=lambda award: (
            _("%(name)s: an award of %(amount)s was proposed.")
            % {"name": award.enterprise.name, "amount": award.amount}
        ),
        to=batch,
    )
    return saved or render(
        request,
        "campaigns/award_add.html",
        {"batch": batch, "form": form, "q": q, "matches": matches, "chosen": chosen},
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_change(request: AuthedRequest, pk: int) -> HttpResponse:
    """公示 or 已拨付 of one award: the page states what will happen and asks to confirm."""
    award = selectors.award_get_for_user(request.user, pk)
    require_roles(request.user, WRITERS)
    award = selectors.award_get_for_user(request.user, pk, write=True)
    action = request.POST.get("action") or request.GET.get("action") or ""
    if action not in ("announce", "pay"):
        action = "pay" if award.status == AwardStatus.ANNOUNCED else "announce"
    form = AwardChangeForm(request.POST or None, record=award, initial={"action": action})
    steps = {"announce": services.award_announce, "pay": services.award_pay}
    saved = save_and_redirect(
        request,
        form,
        lambda data: steps[data["action"]](
            award=award, by=request.user, on=data["on"], version=data["version"]
        ),
        message=lambda award: (
            _("%(name)s: the award is now %(status)s.")
            % {"name": award.enterprise.name, "status": award.get_status_display()}
        ),
        to=_batch_of,
    )
    return saved or render(
        request, "campaigns/award_change.html", {"award": award, "form": form, "action": action}
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct the amount or reason of an award still 拟奖励."""
    award = selectors.award_get_for_user(request.user, pk, write=True)
    form = AwardCorrectForm(
        request.POST or None,
        record=award,
        initial={"amount": award.amount, "reason": award.reason},
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_correct(
            award=award, by=request.user, version=data["version"], **form.details()
        ),
        message=_("The award was corrected."),
        to=_batch_of,
    )
    return saved or render(
        request, "campaigns/award_correct.html", {"award": award, "form": form, "withdraw": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw an unpaid award, with the reason, after a confirmation."""
    award = selectors.award_get_for_user(request.user, pk, write=True)
    form = AwardWithdrawForm(request.POST or None, record=award)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.award_withdraw(
            award=award, by=request.user, note=data["note"], version=data["version"]
        ),
        message=_("The award was withdrawn."),
        to=_batch_of,
    )
    return saved or render(
        request, "campaigns/award_correct.html", {"award": award, "form": form, "withdraw": True}
    )
