"""Award batch pages (奖励资金): the batches with their totals, a batch with its awards and its
public list (公示名单) for export, adding an award, announcing and paying.

An enterprise user's /awards/ lists their own awards only, never a batch or its totals.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
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
from gaoxin.campaigns.selectors import enterprise_matches
from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.figures import metric_url
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.core.pagination import capped_count, lookahead_page, query_without_page
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.core.zones import zone_for_new_record
from gaoxin.enterprises.selectors import enterprise_list_for_user

BATCH_EXPORT_HEADERS = [
    "奖励资金批次",
    "依据政策",
    "公示日期",
    "奖励企业数",
    "奖励总额（元）",
    "已拨付企业数",
    "已拨付金额（元）",
]
PUBLIC_LIST_HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "奖励事由",
    "奖励金额（元）",
    "状态",
    "拨付日期",
]


# --- batches -------------------------------------------------------------------------------


@login_required
@require_GET
def award_list(request: AuthedRequest) -> HttpResponse:
    if role_of(request.user) == Role.ENTERPRISE:
        return _own_awards(request)
    require_roles(request.user, STAFF_ROLES)
    form = BatchFilterForm(request.GET)
    if form.is_valid():
        queryset = selectors.batch_search(request.user, **form.search_arguments())
    else:
        queryset = AwardBatch.objects.none()
    if request.GET.get("export") == "xlsx":
        return _export_batches(queryset)
    page = lookahead_page(request, queryset)
    total, more = capped_count(queryset, page)
    today = timezone.localdate()
    figures = selectors.batch_figures([b.pk for b in page.object_list], today)
    rows = [
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
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "total": total,
        "more": more,
        "query": query_without_page(request),
        "sort": (form.cleaned_data.get("sort") if form.is_valid() else "") or "-created",
        "can_write": role_of(request.user) in WRITERS,
    }
    if request.htmx:
        return render(request, "campaigns/award_list_results.html", context)
    scope = MetricScope.of(working_zone_ids(request.user))
    context["zone_figures"] = [
        {
            "label": registry.get(key).label,
            "shown": registry.get(key).format(registry.get(key).value(scope)),
            "url": metric_url(key, as_of=None),
        }
        for key in ("awards.paid", "awards.paid_enterprises")
    ]
    return render(request, "campaigns/award_list.html", context)


def _own_awards(request: AuthedRequest) -> HttpResponse:
    queryset = selectors.own_awards(request.user)
    page = lookahead_page(request, queryset)
    return render(
        request,
        "campaigns/award_mine.html",
        {"page": page, "query": query_without_page(request)},
    )


def _export_batches(queryset: Any) -> HttpResponse:
    paid = Q(awards__status=AwardStatus.PAID)
    standing = ~Q(awards__status=AwardStatus.WITHDRAWN)
    rows = queryset.select_related("policy").annotate(
        award_total=Sum("awards__amount", filter=standing),
        award_enterprises=Count("awards__enterprise", distinct=True, filter=standing),
        paid_total=Sum("awards__amount", filter=paid),
        paid_enterprises=Count("awards__enterprise", filter=paid, distinct=True),
    )[: settings.GAOXIN_EXPORT_MAX_ROWS]

    def lines() -> Any:
        for b in rows:
            yield [
                b.name,
                b.policy.title if b.policy else "",
                b.announced_on,
                b.award_enterprises,
                b.award_total or 0,
                b.paid_enterprises,
                b.paid_total or 0,
            ]

    today = timezone.localdate()
    return xlsx_response(
        write_workbook(BATCH_EXPORT_HEADERS, lines(), title=f"奖励资金批次 {today}"),
        f"奖励资金批次-{today:%Y%m%d}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("awards:list")
    form = AwardBatchForm(request.POST or None, zone_id=zone.pk)
    batch = save_or_show(
        request,
        form,
        lambda data: services.award_batch_create(zone=zone, by=request.user, **data),
    )
    if batch is not None:
        messages.success(request, _("%(name)s was added.") % {"name": batch.name})
        return redirect(batch)
    return render(request, "campaigns/award_batch_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def award_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.award_batch_get_for_user(request.user, pk, write=True)
    form = AwardBatchForm(request.POST or None, instance=batch, zone_id=batch.zone_id)
    saved = save_or_show(
        request,
        form,
        lambda data: services.award_batch_update(
            batch=selectors.award_batch_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The award batch was saved."))
        return redirect(saved)
    return render(request, "campaigns/award_batch_form.html", {"form": form, "batch": batch})


@login_required
@require_GET
def award_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.award_batch_get_for_user(request.user, pk)
    form = AwardFilterForm(request.GET)
    arguments = form.search_arguments() if form.is_valid() else None
    if request.GET.get("export") == "xlsx":
        return _export_public_list(batch, (arguments or {}).get("q", ""))
    queryset = (
        selectors.award_search(batch, **arguments)
        if arguments is not None
        else Award.objects.none()
    )
    page = lookahead_page(request, queryset)
    total, more = capped_count(queryset, page)
    context = {
        "batch": batch,
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "query": query_without_page(request),
        "sort": (arguments or {}).get("sort") or "name",
        "can_write": role_of(request.user) in WRITERS,
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "campaigns/award_detail_results.html", context)
    figures = selectors.batch_figures([batch.pk], timezone.localdate())[batch.pk]
    context["figures"] = figures
    context["links"] = {
        name: metric_url(f"awards.{name}.{batch.pk}", as_of=None, zone_code=batch.zone.code)
        for name in ("batch_total", "batch_enterprises", "paid", "paid_enterprises")
    }
    context["proposed"] = batch.awards.filter(status=AwardStatus.PROPOSED).count()
    return render(request, "campaigns/award_detail.html", context)


def _export_public_list(batch: AwardBatch, q: str) -> HttpResponse:
    """公示名单: the batch's awards that were publicly announced (and those paid since)."""
    awards = selectors.award_search(batch, q=q, status="public")

    def lines() -> Any:
        for number, a in enumerate(awards.iterator(chunk_size=2000), start=1):
            yield [
                number,
                a.enterprise.name,
                a.enterprise.uscc,
                a.reason,
                a.amount,
                a.get_status_display(),
                a.paid_on,
            ]

    return xlsx_response(
        write_workbook(PUBLIC_LIST_HEADERS, lines(), title=f"{batch.name} 公示名单"),
        f"公示名单-{batch.pk}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_announce(request: AuthedRequest, pk: int) -> HttpResponse:
    """公示 of the batch: every proposed award goes on the public list, after a confirmation."""
    batch = selectors.award_batch_get_for_user(request.user, pk, write=True)
    form = BatchAnnounceForm(request.POST or None)
    count = save_or_show(
        request,
        form,
        lambda data: services.award_batch_announce(batch=batch, by=request.user, on=data["on"]),
    )
    if count is not None:
        messages.success(request, _("%(count)d awards were publicly announced.") % {"count": count})
        return redirect(batch)
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
    award = save_or_show(
        request,
        form,
        lambda data: services.award_add(batch=batch, by=request.user, **data),
    )
    if award is not None:
        messages.success(
            request,
            _("%(name)s: an award of %(amount)s was proposed.")
            % {"name": award.enterprise.name, "amount": award.amount},
        )
        return redirect(batch)
    return render(
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
    saved = save_or_show(
        request,
        form,
        lambda data: steps[data["action"]](
            award=award, by=request.user, on=data["on"], version=data["version"]
        ),
    )
    if saved is not None:
        messages.success(
            request,
            _("%(name)s: the award is now %(status)s.")
            % {"name": saved.enterprise.name, "status": saved.get_status_display()},
        )
        return redirect(saved.batch)
    return render(
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
    saved = save_or_show(
        request,
        form,
        lambda data: services.award_correct(
            award=award, by=request.user, version=data["version"], **form.details()
        ),
    )
    if saved is not None:
        messages.success(request, _("The award was corrected."))
        return redirect(saved.batch)
    return render(
        request, "campaigns/award_correct.html", {"award": award, "form": form, "withdraw": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw an unpaid award, with the reason, after a confirmation."""
    award = selectors.award_get_for_user(request.user, pk, write=True)
    form = AwardWithdrawForm(request.POST or None, record=award)
    saved = save_or_show(
        request,
        form,
        lambda data: services.award_withdraw(
            award=award, by=request.user, note=data["note"], version=data["version"]
        ),
    )
    if saved is not None:
        messages.success(request, _("The award was withdrawn."))
        return redirect(saved.batch)
    return render(
        request, "campaigns/award_correct.html", {"award": award, "form": form, "withdraw": True}
    )
