"""Service records of a project (服务记录): recording a site visit, on-site office or coordination
meeting with the decisions taken at it, and reading one back."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.forms import save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.projects.models import ServiceRecord
from gaoxin.projects.work.selectors import project_for_work
from gaoxin.projects.work.service_records import selectors, services
from gaoxin.projects.work.service_records.forms import DecisionFormSet, ServiceRecordForm


@login_required
@require_http_methods(["GET", "POST"])
def service_record_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = project_for_work(request.user, project_pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = ServiceRecordForm(data, zone_id=project.zone_id)
    decisions = DecisionFormSet(data, prefix="decisions", form_kwargs={"zone_id": project.zone_id})
    # The decisions are checked first: the record is written only when they are all valid.
    saved = (
        save_and_redirect(
            request,
            form,
            lambda data: services.service_record_create(
                project=project_for_work(request.user, project_pk, write=True),
                by=request.user,
                decisions=decisions.decisions(),
                **data,
            ),
            message=_saved_message,
        )
        if decisions.is_valid()
        else None
    )
    return saved or render(
        request,
        "projects/service_record_form.html",
        {"form": form, "decisions": decisions, "project": project},
    )


def _saved_message(record: ServiceRecord) -> str:
    count = record.decisions.count()
    if count:
        return _("The service record was saved with %(count)d decisions as blockers.") % {
            "count": count
        }
    return _("The service record was saved.")


@login_required
@require_GET
def service_record_detail(request: AuthedRequest, project_pk: int, pk: int) -> HttpResponse:
    record = selectors.service_record_get_for_user(request.user, project_pk, pk)
    return render(
        request,
        "projects/service_record_detail.html",
        {
            "record": record,
            "project": record.project,
            "attendees": record.attendees.select_related("department").order_by("name"),
            "departments": record.departments.order_by("name"),
            "decisions": selectors.service_record_decisions(record),
        },
    )
