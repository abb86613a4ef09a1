"""The 高企 and 专精特新 candidate lists, and the rules page (the 规上 thresholds and the
designation criteria in force and before)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, CharField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gaoxin.core.access import require_roles, role_of, working_zone_ids
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, render_list
from gaoxin.core.metrics import Column, Kind
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.cultivation import designations, followups, rule_tables
from gaoxin.cultivation.designation_forms import CandidateFilterForm
from gaoxin.enterprises.models import DesignationKind, Enterprise

TITLES = {
    designations.HIGH_TECH: (_("高企 candidates"), "高新技术企业培育名单"),
    designations.SPECIALISED: (_("专精特新 candidates"), "专精特新中小企业培育名单"),
}


def export_columns(radar_key: str, requires: str) -> list[Column]:
    columns = [
        Column(_("Enterprise name"), "name"),
        Column(_("Unified social credit code"), "uscc"),
        Column(_("Reason"), "reason_label"),
        Column(_("Founded on"), "founded_on"),
        Column(_("Revenue last year (yuan)"), "revenue_y1"),
        Column(_("Revenue two years ago (yuan)"), "revenue_y2"),
        Column(_("Revenue three years ago (yuan)"), "revenue_y3"),
        Column(_("R&D expense last year (yuan)"), "rnd_y1"),
        Column(_("R&D expense two years ago (yuan)"), "rnd_y2"),
        Column(_("R&D expense three years ago (yuan)"), "rnd_y3"),
        Column(_("R&D share of revenue (%)"), "rnd_share", Kind.PERCENT),
        Column(_("Required share (%)"), "required_percent"),
    ]
    if requires:
        columns.append(Column(_("Prerequisite designation held until"), "prerequisite_until"))
    columns += [
        Column(_("Designation expires on"), "expires_on_held"),
        Column(_("Liaison officer"), "liaison_officer.username"),
        Column(_("Followed by"), "followup_officer"),
        Column(_("Followed by (account)"), "followup_officer_username"),
        Column(_("Followed since"), "followup_since"),
    ]
    return columns


def _reason_label() -> Case:
    return Case(
        *(When(reason=code, then=Value(str(label))) for code, label in designations.REASONS),
        default=Value(""),
        output_field=CharField(),
    )


@login_required
@require_GET
def candidate_list(request: AuthedRequest, radar_key: str) -> HttpResponse:
    if radar_key not in designations.RADAR_KINDS:
        raise Http404
    require_roles(request.user, STAFF_ROLES)
    zone_ids = working_zone_ids(request.user)
    form = CandidateFilterForm(request.GET, zone_ids=zone_ids)
    kind = designations.RADAR_KINDS[radar_key]
    day = form.cleaned_data["as_of"] if form.is_valid() else timezone.localdate()
    rule = designations.criteria_in_force(kind, day)
    if form.is_valid():
        queryset = designations.candidate_search(
            request.user, radar_key, zone_ids=zone_ids, **form.search_arguments()
        )
    else:
        queryset = Enterprise.objects.none()
    exporting = request.GET.get("export") == "xlsx"
    if exporting and form.is_valid():
        queryset = designations.with_followups(queryset, radar_key).annotate(
            reason_label=_reason_label()
        )
        if rule is not None and rule.requires:
            queryset = designations.prerequisite_until(queryset, rule.requires, day)
    title, sheet = TITLES[radar_key]

    def extra(page: LookaheadPage) -> dict[str, Any]:
        ids = [row.pk for row in page.object_list]
        return {
            "followups": followups.open_followups(ids, radar_key),
            "rule": rule,
            "day": day,
            "radar_key": radar_key,
            "title": title,
            "kind_label": DesignationKind(kind).label,
            "bands": rule_tables.bands(rule) if rule is not None else [],
            "requires_label": DesignationKind(rule.requires).label
            if rule is not None and rule.requires
            else "",
        }

    return render_list(
        request,
        form,
        queryset,
        template="cultivation/designations/candidate_list.html",
        fragment="cultivation/designations/_candidate_results.html",
        export=Export(export_columns(radar_key, rule.requires if rule else ""), sheet),
        default_sort="share",
        page_rows=lambda rows: rows.select_related("liaison_officer"),
        extra=extra,
    )


@login_required
@require_GET
def rules_page(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    today = timezone.localdate()
    return render(
        request,
        "cultivation/designations/rules.html",
        {
            "today": today,
            "sections": rule_tables.threshold_sections(today),
            "criteria": rule_tables.criteria_by_kind(today),
            "is_admin": role_of(request.user) == Role.ADMIN and request.user.is_staff,
        },
    )
