"""The enterprise registry pages: the list (search, filters, sort, export), the 一企一档 detail,
editing, and designations."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.forms import save_or_show
from gaoxin.core.pagination import capped_count, lookahead_page, query_without_page
from gaoxin.core.periods import in_force_on
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.core.zones import zone_for_new_record
from gaoxin.enterprises import selectors, services
from gaoxin.enterprises.forms import (
    ContactForm,
    DesignationForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    RevokeForm,
)
from gaoxin.enterprises.metrics import EXPIRING_DAYS
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.models import Industry

EXPORT_HEADERS = [
    "企业名称",
    "简称",
    "统一社会信用代码",
    "所属产业",
    "法定代表人",
    "成立日期",
    "入区日期",
    "注册资本（元）",
    "从业人员",
    "是否规上",
    "规上年份",
    "地址",
    "联系人",
    "联系电话",
    "状态",
]


def _profile(data: dict) -> dict:
    """The enterprise form's data as the services take it."""
    fields = dict(data)
    return {**fields, "industries": fields.pop("industries"), "segments": fields.pop("segments")}


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("enterprises:detail", request.user.enterprise_id)
    require_roles(request.user, STAFF_ROLES)
    form = EnterpriseFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    if not form.is_valid():
        queryset = Enterprise.objects.none()
    else:
        queryset = selectors.enterprise_search(request.user, **form.search_arguments())
    if request.GET.get("export") == "xlsx":
        return _export(queryset)
    page = lookahead_page(
        request,
        queryset.only(
            "pk",
            "name",
            "short_name",
            "uscc",
            "founded_on",
            "registered_capital",
            "employees",
            "is_above_scale",
            "status",
            "settled_on",
        ),
    )
    total, more = capped_count(queryset, page)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "industries": selectors.industries_of(page.object_list),
        "designations": selectors.current_designations_of(page.object_list),
        "query": query_without_page(request),
        "sort": form.cleaned_data.get("sort") or "name" if form.is_valid() else "name",
        "can_write": role_of(request.user) in WRITERS,
    }
    template = (
        "enterprises/_enterprise_results.html"
        if request.htmx
        else "enterprises/enterprise_list.html"
    )
    return render(request, template, context)


def _export(queryset) -> HttpResponse:
    """The list as .xlsx. Rows are read as tuples, not model instances, and the industries of
    all of them in one query: at 100,000 rows, instances, their prefetched industries and
    get_status_display() took longer than writing the workbook."""
    rows = queryset.values_list(
        "pk",
        "name",
        "short_name",
        "uscc",
        "legal_representative",
        "founded_on",
        "settled_on",
        "registered_capital",
        "employees",
        "is_above_scale",
        "above_scale_year",
        "address",
        "contact_person",
        "contact_phone",
        "status",
    )[: settings.GAOXIN_EXPORT_MAX_ROWS]
    link = Enterprise.industries.through
    industries: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, industry in (
        link.objects.filter(enterprise__in=queryset.order_by().values("pk"))
        .order_by(*(f"industry__{key}" for key in Industry._meta.ordering))
        .values_list("enterprise_id", "industry__name")
        .iterator(chunk_size=5000)
    ):
        industries[enterprise_id].append(industry)
    statuses = {value: str(label) for value, label in Enterprise.Status.choices}

    def lines():
        for (
            pk,
            name,
            short,
            uscc,
            *profile,
            above,
            year,
            address,
            person,
            phone,
            status,
        ) in rows.iterator(chunk_size=5000):
            yield [
                name,
                short,
                uscc,
                "、".join(industries.get(pk, ())),
                *profile,  # legal representative, founded, settled, capital, employees
                "是" if above else "否",
                year,
                address,
                person,
                phone,
                statuses.get(status, status),
            ]

    today = timezone.localdate()
    return xlsx_response(
        write_workbook(EXPORT_HEADERS, lines(), title=f"企业名录 {today}"),
        f"企业名录-{today:%Y%m%d}.xlsx",
    )


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk)
    today = timezone.localdate()
    designations = list(enterprise.designations.order_by("-granted_on"))
    current = set(enterprise.designations.filter(in_force_on(today)).values_list("pk", flat=True))
    role = role_of(request.user)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "industries": enterprise.industries.all(),
            "segments": enterprise.segments.select_related("industry"),
            "designations": designations,
            "current_ids": current,
            "memberships": enterprise.alliance_memberships.select_related("alliance"),
            "can_write": role in WRITERS,
            "can_edit_contact": role in WRITERS or (role == Role.ENTERPRISE),
            "designation_form": DesignationForm() if role in WRITERS else None,
            # The projects app sits above this one: its records are read through the reverse
            # relation, for staff only (an enterprise account sees its profile, not the pipeline).
            "projects": enterprise.projects.order_by("-stage_on")[:20]
            if role in STAFF_ROLES
            else None,
            # Awards (campaigns app, above this one): an enterprise sees its own once publicly
            # announced (公示), not while the zone is still deciding them.
            "enterprise_awards": (
                enterprise.awards.select_related("batch")
                if role != Role.ENTERPRISE
                else enterprise.awards.select_related("batch").filter(
                    status__in=["announced", "paid"]
                )
            ).order_by("-pk")[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("enterprises:list")
    form = EnterpriseForm(request.POST or None, zone_id=zone.pk)
    enterprise = save_or_show(
        request,
        form,
        lambda data: services.enterprise_create(zone=zone, by=request.user, **_profile(data)),
    )
    if enterprise is not None:
        messages.success(request, _("%(name)s was added.") % {"name": enterprise.name})
        return redirect(enterprise)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise, zone_id=enterprise.zone_id)
    # The form writes its values onto the instance it was given; the service gets a fresh
    # copy, so a refusal leaves the page showing the record as it is stored.
    saved = save_or_show(
        request,
        form,
        lambda data: services.enterprise_update(
            enterprise=selectors.enterprise_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **_profile(form.details()),
        ),
    )
    if saved is not None:
        messages.success(request, _("The profile was saved."))
        return redirect(saved)
    return render(
        request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_contact_get_for_user(request.user, pk)
    form = ContactForm(request.POST or None, instance=enterprise)
    saved = save_or_show(
        request,
        form,
        lambda data: services.enterprise_contact_update(
            enterprise=selectors.enterprise_contact_get_for_user(request.user, pk),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The contact details were saved."))
        return redirect(saved)
    return render(
        request, "enterprises/contact_form.html", {"form": form, "enterprise": enterprise}
    )


@login_required
@require_http_methods(["POST"])
def designation_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk, write=True)
    form = DesignationForm(request.POST)
    if form.is_valid():
        try:
            services.designation_create(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The designation was recorded."))
            return redirect(enterprise)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(enterprise)


@login_required
@require_http_methods(["GET", "POST"])
def designation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designation = selectors.designation_get_for_user(request.user, pk, write=True)
    form = RevokeForm(
        request.POST or None, record=designation, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_revoke(
                designation=designation,
                by=request.user,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                version=form.opened_version,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The designation was revoked."))
            return redirect(designation.enterprise)
    return render(
        request, "enterprises/designation_revoke.html", {"form": form, "designation": designation}
    )


@login_required
@require_GET
def designations_expiring(request: HttpRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    from gaoxin.core.metrics import MetricScope, registry

    scope = MetricScope.of(working_zone_ids(request.user))
    metric = registry.get("enterprises.designations.expiring")
    value, records = metric.evaluate(scope)
    return render(
        request,
        "enterprises/designations_expiring.html",
        {
            "records": records[:500],
            "value": value,
            "days": EXPIRING_DAYS,
            "metric": metric,
        },
    )
