"""The 亩均效益 pages: the evaluation list (filters, sort, class distribution, Excel), the
zone's cut-offs per year, and the land records an officer keeps from the enterprise's page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import WRITERS, require_roles, role_of, user_zone_ids, working_zone_ids
from gaoxin.core.forms import form_page, save_and_redirect, save_and_return
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, render_list
from gaoxin.core.metrics import Column
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.zones import zone_for_new_record
from gaoxin.cultivation import efficiency
from gaoxin.cultivation import efficiency_services as services
from gaoxin.cultivation.efficiency_forms import (
    SORTS,
    UNCLASSIFIED,
    CutoffsForm,
    EfficiencyFilterForm,
    LandEndForm,
    LandRecordForm,
)
from gaoxin.cultivation.followups import open_followups
from gaoxin.cultivation.models import Followup
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.selectors import enterprise_get_for_user
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Carrier

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

PANEL_TEMPLATE = "cultivation/efficiency/_land_panel.html"

EXPORT_COLUMNS = (
    Column(_lazy("Enterprise"), "name"),
    Column(_lazy("Unified social credit code"), "uscc"),
    Column(_lazy("Land (m²)"), "land_area"),
    Column(_lazy("Land (亩)"), "land_mu"),
    Column(_lazy("Land from"), "land_source_label"),
    Column(_lazy("Tax (yuan)"), "tax"),
    Column(_lazy("Revenue (yuan)"), "revenue"),
    Column(_lazy("Tax per 亩 (yuan)"), "tax_per_mu"),
    Column(_lazy("Revenue per 亩 (yuan)"), "revenue_per_mu"),
    Column(_lazy("Class"), "efficiency_class"),
    Column(_lazy("Last year's class"), "previous_class"),
    Column(_lazy("Change"), "change_label"),
    Column(_lazy("Followed by"), "followed_by"),
)


def _labels(rows: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """The export's words for the land source and the change, and who follows each row."""
    followed = Followup.objects.filter(
        enterprise=OuterRef("pk"), radar=efficiency.KEY, closed_on__isnull=True
    ).values("officer__username")[:1]
    return rows.annotate(
        land_source_label=Case(
            *(When(land_source=k, then=Value(str(v))) for k, v in efficiency.LAND_SOURCES.items()),
            default=Value(""),
            output_field=CharField(),
        ),
        change_label=Case(
            *(
                When(efficiency.change_is(k), then=Value(str(v)))
                for k, v in efficiency.CHANGES.items()
            ),
            default=Value(""),
            output_field=CharField(),
        ),
        followed_by=Subquery(followed, output_field=CharField()),
    )


@login_required
@require_GET
def efficiency_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    zone_ids = working_zone_ids(request.user)
    form = EfficiencyFilterForm(request.GET, zone_ids=zone_ids)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    year = data.get("year") or efficiency.evaluated_year(zone_ids, timezone.localdate())
    rows = base = Enterprise.objects.none()
    if valid and year is not None:
        base = efficiency.evaluation(zone_ids, year)
        if data.get("industry"):
            base = base.filter(industries=data["industry"])
        rows = base
        wanted = data.get("efficiency_class")
        if wanted:
            rows = rows.filter(Q(efficiency_class="" if wanted == UNCLASSIFIED else wanted))
        if data.get("change"):
            rows = rows.filter(efficiency.change_is(data["change"]))
        rows = rows.order_by(SORTS.get(data.get("sort") or "-tax", "-tax_per_mu"), "pk")
        if request.GET.get("export") == "xlsx":
            rows = _labels(rows)
    return render_list(
        request,
        form,
        rows,
        template="cultivation/efficiency/efficiency_list.html",
        fragment="cultivation/efficiency/_efficiency_results.html",
        export=Export(EXPORT_COLUMNS, _("亩均效益评价")),
        default_sort="-tax",
        extra=lambda page: {
            "followups": open_followups([e.pk for e in page], efficiency.KEY),
            "year": year,
            "missing_cutoffs": year is not None
            and len(efficiency.cutoffs_of(zone_ids, year)) < len(zone_ids),
            "summary": efficiency.distribution(base) if year is not None and valid else None,
            "classes": efficiency.CLASSES,
            "change_labels": {
                e.pk: efficiency.CHANGES.get(
                    efficiency.change_of(e.efficiency_class, e.previous_class, e.land_previous), ""
                )
                for e in page
            },
        },
    )


@login_required
@require_GET
def cutoffs_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    rows = services.cutoffs_list_for_user(request.user).order_by("zone__code", "-year")[:200]
    return render(
        request,
        "cultivation/efficiency/cutoffs_list.html",
        {"rows": rows, "can_write": role_of(request.user) in WRITERS},
    )


def _cutoffs_crumbs() -> list[tuple[str, str]]:
    return [
        (reverse("cultivation:efficiency_list"), _("亩均效益")),
        (reverse("cultivation:efficiency_cutoffs"), _("Cut-offs")),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def cutoffs_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("cultivation:efficiency_cutoffs")
    form = CutoffsForm(request.POST or None)
    done = save_and_redirect(
        request,
        form,
        lambda data: services.cutoffs_set(
            zone=zone, year=data["year"], by=request.user, values=form.yuan()
        ),
        message=_("The cut-offs are saved."),
        to="cultivation:efficiency_cutoffs",
    )
    return done or form_page(
        request,
        form,
        template="core/form_page.html",
        title=_("Set a year's 亩均效益 cut-offs (%(zone)s)") % {"zone": zone.name},
        crumbs=_cutoffs_crumbs(),
        cancel=reverse("cultivation:efficiency_cutoffs"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cutoffs_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    record = services.cutoffs_get_for_user(request.user, pk, write=True)
    form = CutoffsForm(request.POST or None, record=record)
    done = save_and_redirect(
        request,
        form,
        lambda data: services.cutoffs_set(
            zone=record.zone,
            year=record.year,
            by=request.user,
            record=record,
            version=form.opened_version,
            values=form.yuan(),
        ),
        message=_("The cut-offs are saved."),
        to="cultivation:efficiency_cutoffs",
    )
    return done or form_page(
        request,
        form,
        template="core/form_page.html",
        title=_("%(year)s 亩均效益 cut-offs (%(zone)s)")
        % {"year": record.year, "zone": record.zone.name},
        crumbs=_cutoffs_crumbs(),
        cancel=reverse("cultivation:efficiency_cutoffs"),
        obj=record,
    )


@login_required
@require_http_methods(["POST"])
def land_add(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get_for_user(request.user, pk, write=True)
    form = LandRecordForm(request.POST)
    return save_and_return(
        request,
        form,
        lambda data: services.land_record_add(enterprise=enterprise, by=request.user, **data),
        message=_("The land record is saved."),
        to=enterprise.get_absolute_url() + "#land",
    )


@login_required
@require_http_methods(["GET", "POST"])
def land_end(request: AuthedRequest, pk: int) -> HttpResponse:
    record = services.land_record_get_for_user(request.user, pk, write=True)
    form = LandEndForm(request.POST or None, record=record)
    back = record.enterprise.get_absolute_url() + "#land"
    done = save_and_redirect(
        request,
        form,
        lambda data: services.land_record_end(
            record=record, on=data["on"], by=request.user, version=form.opened_version or 0
        ),
        message=_("The land record is ended."),
        to=back,
    )
    return done or render(
        request,
        "cultivation/efficiency/land_end.html",
        {"form": form, "record": record, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


def land_panel(enterprise: Enterprise, user: User) -> dict[str, Any] | None:
    """The enterprise page's land panel: staff see the land records (or the projects' land
    when there are none) and the enterprise's 亩均效益 line; officers add and end records."""
    role = role_of(user)
    if role not in STAFF_ROLES:
        return None
    records = list(enterprise.land_records.select_related("recorded_by").order_by("-valid_from"))
    projects = (
        []
        if records
        else list(
            Project.objects.filter(
                enterprise=enterprise,
                carrier=Carrier.LAND,
                reached_land_acquired_on__isnull=False,
                land_area__gt=0,
            ).order_by("reached_land_acquired_on")[:20]
        )
    )
    can_write = role in WRITERS and enterprise.zone_id in user_zone_ids(user)
    return {
        "template": PANEL_TEMPLATE,
        "enterprise": enterprise,
        "records": records,
        "projects": projects,
        "line": efficiency.line(enterprise, timezone.localdate()),
        "form": LandRecordForm() if can_write else None,
        "can_write": can_write,
    }
