"""提醒渠道 (/jobs/channels/): a zone administrator's channels for the daily 督办 digest — the
list with each channel's state, add and edit (a form per kind), delete after confirmation,
send a test at once, and a channel's recent deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import require_roles, user_zones, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.pagination import paginate, query_without_page
from gaoxin.jobs import channels
from gaoxin.jobs.channel_addresses import masked
from gaoxin.jobs.channel_forms import FORMS, ChannelForm
from gaoxin.jobs.models import Channel, Delivery


@login_required
@require_GET
def channel_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, channels.channel_list_for_user(request.user))
    rows = [(channel, masked(channel.url)) for channel in page]
    return render(
        request,
        "jobs/channels/channel_list.html",
        {
            "page": page,
            "rows": rows,
            "kinds": Channel.Kind.choices,
            "query": query_without_page(request),
        },
    )


def _show_refusal(form: ChannelForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def channel_add(request: AuthedRequest, kind: str) -> HttpResponse:
    require_roles(request.user, channels.ADMINS)
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    working = working_zone_ids(request.user)
    zones = sorted(user_zones(request.user), key=lambda z: (z.pk not in working, z.code))
    form = form_class(request.POST or None, zones=zones)
    if request.method == "POST" and form.is_valid():
        zone = next(z for z in zones if z.pk == form.cleaned_data["zone"])
        try:
            channel = channels.channel_create(
                zone=zone,
                by=request.user,
                name=form.cleaned_data["name"],
                kind=form_class.kind,
                url=form.cleaned_data["url"],
            )
        except DomainError as error:
            _show_refusal(form, error)
        else:
            messages.success(request, _("Channel saved. Send a test to see that it works."))
            return redirect("channels:detail", pk=channel.pk)
    return render(
        request,
        "jobs/channels/channel_form.html",
        {"form": form, "kind_label": Channel.Kind(kind).label, "channel": None},
    )


@login_required
@require_GET
def channel_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    channel = channels.channel_get_for_user(request.user, pk)
    return render(
        request,
        "jobs/channels/channel_detail.html",
        {
            "channel": channel,
            "address": masked(channel.url),
            "deliveries": channels.channel_deliveries(channel),
            "failed": Delivery.Status.FAILED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    channel = channels.channel_get_for_user(request.user, pk)
    form_class = FORMS[channel.kind]
    form = form_class(request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            channels.channel_update(
                channel=channel,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                is_active=form.cleaned_data["is_active"],
            )
        except DomainError as error:
            _show_refusal(form, error)
        else:
            messages.success(request, _("Channel saved."))
            return redirect("channels:detail", pk=channel.pk)
    return render(
        request,
        "jobs/channels/channel_form.html",
        {"form": form, "kind_label": channel.get_kind_display(), "channel": channel},
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    channel = channels.channel_get_for_user(request.user, pk)
    if request.method == "POST":
        name = channel.name
        channels.channel_delete(channel=channel)
        messages.success(request, _("Channel “%(name)s” deleted.") % {"name": name})
        return redirect("channels:list")
    return render(
        request,
        "jobs/channels/channel_delete.html",
        {"channel": channel, "address": masked(channel.url)},
    )


@login_required
@require_POST
def channel_test(request: AuthedRequest, pk: int) -> HttpResponse:
    channel = channels.channel_get_for_user(request.user, pk)
    delivery = channels.send_test(channel=channel)
    if delivery.status == Delivery.Status.SENT:
        messages.success(request, _("Test message sent. Check that it arrived."))
    else:
        messages.error(request, _("The test message failed: %(error)s") % {"error": delivery.error})
    return redirect("channels:detail", pk=channel.pk)


@login_required
@require_POST
def channel_active(request: AuthedRequest, pk: int) -> HttpResponse:
    channel = channels.channel_get_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    channels.channel_set_active(channel=channel, active=active)
    if active:
        messages.success(
            request, _("“%(name)s” gets the daily digest again.") % {"name": channel.name}
        )
    else:
        messages.success(request, _("“%(name)s” is switched off.") % {"name": channel.name})
    return redirect("channels:list")
