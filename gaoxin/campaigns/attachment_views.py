"""An application's attachments: uploaded on the application's page while it is 拟申报,
downloaded by whoever may read the application, removed (after a confirmation) before it is
submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.campaigns import attachment_services, selectors
from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.uploads import DocumentUploadForm


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk, write=True)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(f"{application.get_absolute_url()}#attachments")
    try:
        attachment = attachment_services.attachment_add(
            application=application, upload=form.cleaned_data["file"], by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was attached.") % {"name": attachment.name})
    return redirect(f"{application.get_absolute_url()}#attachments")


@login_required
@require_GET
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk, write=True)
    application = attachment.application
    if request.method == "POST":
        try:
            attachment_services.attachment_remove(attachment=attachment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": attachment.name})
        return redirect(f"{application.get_absolute_url()}#attachments")
    return render(
        request,
        "campaigns/attachment_remove.html",
        {"attachment": attachment, "application": application},
    )
