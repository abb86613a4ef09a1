"""Application campaign pages: the list (filters, sort, export), a campaign with its
applications by status as of a date, starting an application, and an application's page where
the enterprise prepares and submits it and the officers move it on.

An enterprise user sees the campaigns of their zone open now and their own applications only.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.campaigns import (
    metrics,  # noqa: F401  (registers the figures linked to)
    selectors,
    services,
)
from gaoxin.campaigns.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationMoveForm,
    ApplicationStartForm,
    CampaignFilterForm,
    CampaignForm,
)
from gaoxin.campaigns.models import Application, ApplicationStatus, Campaign
from gaoxin.core.access import WRITERS, require_roles, role_of
from gaoxin.core.errors import DomainError
from gaoxin.core.figures import metric_url
from gaoxin.core.forms import save_and_redirect, save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import Role
from gaoxin.core.uploads import DocumentUploadForm
from gaoxin.core.zones import zone_for_new_record
from gaoxin.enterprises.selectors import enterprise_list_for_user, enterprise_matches

CAMPAIGN_COLUMNS = (
    Column("申报批次", "name"),
    Column("对应资质", "get_designation_kind_display"),
    Column("级别", "get_designation_level_display"),
    Column("开始日期", "opens_on"),
    Column("截止日期", "closes_on"),
    Column("依据政策", "policy.title"),
    Column("申报数", "total"),
    Column("已提交申报企业数", "applying"),
    Column("认定通过数", "approved"),
)
APPLICATION_COLUMNS = (
    Column("企业名称", "enterprise.name"),
    Column("统一社会信用代码", "enterprise.uscc"),
    Column("申报批次", "campaign.name"),
    Column("状态", "get_status_display"),
    Column("状态日期", "status_on"),
    Column("联系人", "contact_person"),
    Column("联系电话", "contact_phone"),
    Column("审核意见", "review_note"),
)

if TYPE_CHECKING:
    from gaoxin.enterprises.models import Enterprise


@login_required
@require_GET
def campaign_list(request: AuthedRequest) -> HttpResponse:
    if role_of(request.user) == Role.ENTERPRISE:
        return _enterprise_home(request)
    form = CampaignFilterForm(request.GET)
    today = timezone.localdate()
    queryset = filtered(form, partial(selectors.campaign_search, request.user), Campaign)
    if request.GET.get("export") == "xlsx":
        queryset = selectors.with_figures(queryset, today)

    def rows(page: LookaheadPage) -> dict[str, Any]:
        figures = selectors.campaign_figures([c.pk for c in page.object_list], today)
        return {
            "rows": [
                {
                    "campaign": c,
                    "figures": figures[c.pk],
                    "open": selectors.is_open(c, today),
                    "upcoming": c.opens_on > today,
                    "links": {
                        name: metric_url(
                            f"campaigns.{name}.{c.pk}", as_of=None, zone_code=c.zone.code
                        )
                        for name in ("total", "applying", "approved")
                    },
                }
                for c in page.object_list
            ]
        }

    return render_list(
        request,
        form,
        queryset,
        template="campaigns/campaign_list.html",
        fragment="campaigns/campaign_list_results.html",
        export=Export(CAMPAIGN_COLUMNS, "申报批次"),
        default_sort="-opens",
        page_rows=lambda rows: rows.select_related("policy", "zone"),
        extra=rows,
    )


def _enterprise_home(request: AuthedRequest) -> HttpResponse:
    """An enterprise user's /campaigns/: what is open to apply to now, and their own
    applications."""
    applications = list(selectors.own_applications(request.user)[:100])
    applied = {a.campaign_id: a for a in applications}
    campaigns = list(
        selectors.open_campaigns_for_enterprise_user(request.user).order_by("closes_on", "pk")[:100]
    )
    return render(
        request,
        "campaigns/campaign_mine.html",
        {
            "campaigns": [{"campaign": c, "application": applied.get(c.pk)} for c in campaigns],
            "applications": applications,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("campaigns:list")
    form = CampaignForm(request.POST or None, zone_id=zone.pk)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.campaign_create(zone=zone, by=request.user, **data),
        message=_("%(name)s was added."),
    )
    return saved or render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(request.user, pk, write=True)
    form = CampaignForm(request.POST or None, instance=campaign, zone_id=campaign.zone_id)
    # The form writes onto the instance it was given; the service reads the stored record.
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.campaign_update(
            campaign=selectors.campaign_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The campaign was saved."),
    )
    return saved or render(
        request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign}
    )


@login_required
@require_GET
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(request.user, pk)
    role = role_of(request.user)
    today = timezone.localdate()
    if role == Role.ENTERPRISE:
        return render(
            request,
            "campaigns/campaign_detail.html",
            {
                "campaign": campaign,
                "is_open": selectors.is_open(campaign, today),
                "mine": selectors.own_application(request.user, campaign),
                "staff": False,
            },
        )
    form = ApplicationFilterForm(request.GET)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else today
    queryset = filtered(
        form, partial(selectors.application_search, request.user, campaign=campaign), Application
    )
    results = bool(request.htmx and request.htmx.target == "results")

    def figures(page: LookaheadPage) -> dict[str, Any]:
        shown = {
            "campaign": campaign,
            "staff": True,
            "as_of": as_of,
            "is_open": selectors.is_open(campaign, today),
        }
        # The results fragment shows no figures: they are read for the whole page only.
        return shown if results else {**shown, **_campaign_figures(campaign, as_of, today)}

    return render_list(
        request,
        form,
        queryset,
        template="campaigns/campaign_detail.html",
        fragment="campaigns/application_list_results.html" if results else None,
        export=Export(APPLICATION_COLUMNS, "申报名单", title=f"{campaign.name} {today}"),
        extra=figures,
    )


def _campaign_figures(campaign: Campaign, as_of: dt.date, today: dt.date) -> dict[str, Any]:
    """A campaign's counts by status and its figures as of the day, each linking to its
    records."""
    context: dict[str, Any] = {}
    figures = selectors.campaign_figures([campaign.pk], as_of)[campaign.pk]
    context["counts"] = [
        {
            **row,
            "url": metric_url(
                f"campaigns.status_{row['status']}.{campaign.pk}",
                as_of=None if as_of == today else as_of,
                zone_code=campaign.zone.code,
            ),
        }
        for row in selectors.status_counts(campaign, as_of)
    ]
    context["figures"] = [
        {
            "label": label,
            "value": figures[name],
            "url": metric_url(
                f"campaigns.{name}.{campaign.pk}",
                as_of=None if as_of == today else as_of,
                zone_code=campaign.zone.code,
            ),
        }
        for name, label in (
            ("total", _("Applications started")),
            ("applying", _("Enterprises applying")),
            ("approved", _("Approved (认定通过)")),
        )
    ]
    return context


# --- applications --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start an application: an enterprise user their own; an officer for an enterprise picked
    from the registry."""
    campaign = selectors.campaign_get_for_user(request.user, pk)
    require_roles(request.user, WRITERS | {Role.ENTERPRISE})
    officer = role_of(request.user) in WRITERS
    enterprise = None
    if officer:
        campaign = selectors.campaign_get_for_user(request.user, pk, write=True)
    else:
        mine = selectors.own_application(request.user, campaign)
        if mine is not None:
            messages.info(request, _("Your enterprise already has an application here."))
            return redirect(mine)
        enterprise = request.user.enterprise
    q = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    picked = request.POST.get("enterprise") or request.GET.get("enterprise")
    matches = (
        enterprise_matches(
            request.user,
            campaign.zone_id,
            q,
            picked=picked,
            exclude=Q(applications__campaign=campaign),
        )
        if officer
        else []
    )
    if officer:
        initial = {"enterprise": picked} if picked else {}
    else:
        assert enterprise is not None  # an enterprise user has one (a database constraint)
        initial = {
            "contact_person": enterprise.contact_person,
            "contact_phone": enterprise.contact_phone,
        }
    form = ApplicationStartForm(
        request.POST or None,
        officer=officer,
        enterprises=enterprise_list_for_user(request.user).filter(zone_id=campaign.zone_id)
        if officer
        else None,
        matches=matches,
        initial=initial,
    )

    def start(data: dict[str, Any]) -> Application:
        return services.application_start(
            campaign=campaign,
            # An officer's form requires the enterprise; an enterprise user applies for theirs.
            enterprise=cast("Enterprise", data.get("enterprise") or enterprise),
            by=request.user,
            on=data.get("on"),
            contact_person=data.get("contact_person", ""),
            contact_phone=data.get("contact_phone", ""),
            statement=data.get("statement", ""),
        )

    saved = save_and_redirect(
        request,
        form,
        start,
        message=lambda application: (
            _("The application of %(name)s was started (拟申报).")
            % {"name": application.enterprise.name}
        ),
    )
    return saved or render(
        request,
        "campaigns/application_start.html",
        {
            "campaign": campaign,
            "form": form,
            "officer": officer,
            "enterprise": enterprise,
            "q": q,
            "matches": matches,
            "is_open": selectors.is_open(campaign),
        },
    )


def _application_context(request: AuthedRequest, application: Application) -> dict[str, Any]:
    role = role_of(request.user)
    writable = selectors.application_writable(request.user, application)
    is_draft = application.status == ApplicationStatus.DRAFT
    officer = role in WRITERS and writable
    return {
        "application": application,
        "campaign": application.campaign,
        "changes": selectors.changes_of(application),
        "can_edit": writable and is_draft,
        "can_submit": writable and is_draft,
        "officer": officer,
        "edit_form": None,
        "move_form": ApplicationMoveForm(application=application)
        if officer and application.status != ApplicationStatus.APPROVED
        else None,
        "staff": role != Role.ENTERPRISE,
        "attachments": selectors.attachments_of(application),
        "attachment_form": DocumentUploadForm() if writable and is_draft else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The application: read by whoever may see it; while 拟申报 its own enterprise's users
    (and officers) edit the statement and submit it (after a confirmation)."""
    application = selectors.application_get_for_user(request.user, pk)
    context = _application_context(request, application)
    if request.method == "POST":
        application = selectors.application_get_for_user(request.user, pk, write=True)
        action = request.POST.get("action")
        if action == "submit":
            return _submit(request, application, context)
        if action != "save":
            return redirect(application)
        form = ApplicationForm(request.POST, instance=application)
        saved = save_and_redirect(
            request,
            form,
            lambda data: services.application_update(
                application=selectors.application_get_for_user(request.user, pk, write=True),
                by=request.user,
                version=form.opened_version,
                **form.details(),
            ),
            message=_("The application was saved."),
        )
        if saved is not None:
            return saved
        context["edit_form"] = form
    elif context["can_edit"]:
        context["edit_form"] = ApplicationForm(instance=application)
    return render(request, "campaigns/application_detail.html", context)


def _submit(
    request: AuthedRequest, application: Application, context: dict[str, Any]
) -> HttpResponse:
    try:
        services.application_move_check(
            application=application,
            by=request.user,
            to_status=ApplicationStatus.SUBMITTED,
            on=timezone.localdate(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        context["edit_form"] = ApplicationForm(instance=application)
        return render(request, "campaigns/application_detail.html", context)
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "campaigns/application_confirm.html",
            {
                "application": application,
                "action": "submit",
                "to_label": ApplicationStatus.SUBMITTED.label,
                "today": timezone.localdate(),
            },
        )
    try:
        services.application_submit(application=application, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        context["edit_form"] = ApplicationForm(instance=application)
        return render(request, "campaigns/application_detail.html", context)
    messages.success(request, _("The application was submitted (已提交)."))
    return redirect(application)


@login_required
@require_POST
def application_change(request: AuthedRequest, pk: int) -> HttpResponse:
    """An officer moves the application on (or back) with a dated change and a note. 未通过,
    认定通过 and moving back are confirmed first."""
    application = selectors.application_get_for_user(request.user, pk)
    require_roles(request.user, WRITERS)
    application = selectors.application_get_for_user(request.user, pk, write=True)
    form = ApplicationMoveForm(request.POST, application=application)
    weighty = form.is_valid() and services.is_weighty(
        application.status, form.cleaned_data["to_status"]
    )
    if weighty and request.POST.get("confirm") != "1":
        move = form.change()

        def check(data: dict[str, Any]) -> bool:
            services.application_move_check(application=application, by=request.user, **move)
            return True

        checked = save_or_show(request, form, check)
        if checked:
            return render(
                request,
                "campaigns/application_confirm.html",
                {
                    "application": application,
                    "action": "move",
                    "move": move,
                    "to_label": ApplicationStatus(move["to_status"]).label,
                    "grants": move["to_status"] == ApplicationStatus.APPROVED
                    and bool(application.campaign.designation_kind),
                    "expires_on": services.designation_expires_on(
                        move["on"], application.campaign.validity_years
                    ),
                },
            )
        return _application_page_with(request, application, form)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.application_move(
            application=application, by=request.user, **form.change()
        ),
        message=lambda change: (
            _("The application is now at %(status)s.") % {"status": change.get_to_status_display()}
        ),
        to=application,
    )
    return saved or _application_page_with(request, application, form)


def _application_page_with(
    request: AuthedRequest, application: Application, form: ApplicationMoveForm
) -> HttpResponse:
    """The application page again, showing what is wrong with the move."""
    context = _application_context(request, application)
    context["move_form"] = form
    return render(request, "campaigns/application_detail.html", context)
