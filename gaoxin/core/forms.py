from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages as django_messages
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.access import user_zones, zone_ids_for
from gaoxin.core.bounds import refusal_of
from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.metrics import MetricScope

logger = logging.getLogger(__name__)

YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]


def search_field(placeholder: Any = "", label: Any = None) -> forms.CharField:
    """The free-text box at the head of a filtered list."""
    return forms.CharField(
        label=label or _("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": placeholder, "type": "search", "autocomplete": "off"}
        ),
    )


def yes_no(value: str | None) -> bool | None:
    """A YES_NO choice as the selectors take it: None for any."""
    return None if value in (None, "") else value == "1"


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: a
    Chinese-formatted 2023/01/01 is rejected by the browser and the field opens blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# The earliest day a figure can be asked for: 1 October 1949. No zone, enterprise or figure of
# this platform predates the People's Republic (the first high-tech zones opened in 1988), and
# a floor this far above 0001-01-01 keeps every "the same day N years earlier" computed from
# `as_of` inside the calendar, where 0001-01-01 raised OverflowError.
EARLIEST_AS_OF = dt.date(1949, 10, 1)


class AsOfField(forms.DateField):
    """The day a figure is asked for: today when left empty, never in the future, never
    before EARLIEST_AS_OF."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("As of"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date as YYYY-MM-DD.")})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date:
        day = super().clean(value) or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("A figure cannot be asked for a day in the future."), code="future"
            )
        if day < EARLIEST_AS_OF:
            raise forms.ValidationError(
                _("A figure cannot be asked for a day before %(day)s."),
                code="too_early",
                params={"day": EARLIEST_AS_OF.isoformat()},
            )
        return day


class ScopeForm(forms.Form):
    """Which zone and which day a figure is asked for (`?zone=CODE&as_of=YYYY-MM-DD`)."""

    zone = forms.ChoiceField(label=_("Zone"), required=False)
    as_of = AsOfField()

    def __init__(self, *args: Any, zones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {zone.code: zone for zone in zones}
        choice_field(self, "zone").choices = [("", _("All my zones"))] + [
            (zone.code, zone.name) for zone in zones
        ]
        self.fields["zone"].error_messages["invalid_choice"] = _("You cannot see zone %(value)s.")


@dataclass(frozen=True)
class RequestedScope:
    """What `?zone=&as_of=` asks for: the picker to render and the scope the metrics take.

    `scope` is None when the request was refused (a zone the user cannot see, a day that is
    not a day, or one out of bounds): the form then carries the message, and the page answers
    with `status` (400) instead of showing figures for something that was not asked for."""

    form: ScopeForm
    scope: MetricScope | None
    zone_code: str  # the zone picked, "" for the user's working zones
    zones: list[Any]  # the zones the user may pick

    @property
    def status(self) -> int:
        return 200 if self.scope is not None else 400


def scope_from_request(request: AuthedRequest) -> RequestedScope:
    """The one reading of `?zone=CODE&as_of=YYYY-MM-DD` for every page that shows figures.

    No zone (or an empty one) is the user's working zones: the zone picked in the switcher,
    else all of theirs (an administrator's: every zone). No day is today. A zone the user
    cannot see is refused, never widened to the zones they can; a bad day is refused with
    AsOfField's message, never moved to today."""
    zones = user_zones(request.user)
    form = ScopeForm(request.GET or None, zones=zones, initial={"as_of": timezone.localdate()})
    if form.is_bound and not form.is_valid():
        return RequestedScope(form, None, "", zones)
    data = form.cleaned_data if form.is_bound else {}
    code = data.get("zone") or ""
    requested = [form.zones[code].pk] if code else None
    scope = MetricScope.of(zone_ids_for(request.user, requested), data.get("as_of"))
    return RequestedScope(form, scope, code, zones)


def save_or_show(
    request: HttpRequest, form: forms.BaseForm, write: Callable[[dict[str, Any]], Any]
) -> Any | None:
    """Run `write` on a valid bound form; a refusal from the service becomes a form error, and
    so does one from the database (a constraint, a value the column cannot hold) or from the
    model's own checks: whatever refused it, the user sees the form again with what is wrong,
    and nothing of the write is kept (it runs in a transaction of its own).

    A domain refusal commits what the write chose to keep before refusing (a wrong two-factor
    code is counted by the throttle, then refused); the services' own atomic blocks have already
    undone the rest. Any other refusal undoes everything."""
    if request.method != "POST" or not form.is_valid():
        return None
    domain_refusal: DomainError | None = None
    try:
        with transaction.atomic():
            try:
                return write(form.cleaned_data)
            except DomainError as error:
                domain_refusal = error
    except ValidationError as error:
        _add_validation_error(form, error)
    except (IntegrityError, DataError) as error:
        logger.warning("database refused a form's write on %s: %s", request.path, error)
        refusal = refusal_of(error)
        if refusal is None:
            form.add_error(None, _("This value cannot be saved: check the figures and try again."))
        else:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
    if domain_refusal is not None:
        field = domain_refusal.field if domain_refusal.field in form.fields else None
        form.add_error(field, domain_refusal.message)
    return None


# A flash message after a write: a text (naming the record as %(name)s if it likes), or a
# function of what the write returned, for a message that says more of it.
Message = str | Callable[[Any], str]


def save_and_redirect(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    message: Message,
    to: Any = None,
) -> HttpResponse | None:
    """`save_or_show`, then the usual end of an edit page: on success a flash `message` (which
    may name the record as %(name)s, or be a function of the saved record) and a redirect to
    `to` (anything `redirect` takes, or a function of the saved record giving one; None: the
    record's own page). None when the form is to be shown again."""
    record = save_or_show(request, form, write)
    if record is None:
        return None
    django_messages.success(request, _said(message, record))
    if to is None:
        return redirect(record)
    return redirect(to(record) if callable(to) else to)


def _said(message: Message, record: Any) -> str:
    if callable(message):
        return message(record)
    if "%(name)s" in message:
        return message % {"name": record.name}
    return message


def flash_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from another page has no page of its own to show its errors on: each
    becomes a flash message, named by its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            django_messages.error(request, f"{label}: {error}" if label else str(error))


def save_and_return(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    message: Message,
    to: Any,
) -> HttpResponse:
    """`save_or_show` for a small form posted from a record's page (`to`, anything `redirect`
    takes): back there with the flash `message` (as `save_and_redirect` takes it), or with the
    form's errors as flashes."""
    record = save_or_show(request, form, write)
    if record is not None:
        django_messages.success(request, _said(message, record))
    else:
        flash_errors(request, form)
    return redirect(to)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str,
    title: str,
    crumbs: list[tuple[str, str]],
    cancel: str,
    obj: Any = None,
) -> HttpResponse:
    """An edit page on `core/form_page.html` (or a template extending it); 400 when the form
    came back with errors. `obj`, when given, has its change history shown below."""
    return render(
        request,
        template,
        {"form": form, "title": title, "crumbs": crumbs, "cancel": cancel, "obj": obj},
        status=400 if form.is_bound and form.errors else 200,
    )


def _add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A model's `full_clean` refusal, each message on its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        messages = [message for e in errors for message in e.messages]
        form.add_error(name if name in form.fields else None, messages)


# form.fields holds plain Fields for the type checker: these name the kind a form narrows.
def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's (multiple) model choice field `name`, whose queryset a form narrows."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, whose choices a form narrows."""
    return cast("forms.ChoiceField", form.fields[name])


def label_choices(field: forms.ModelChoiceField[Any], label: Callable[[Any], str]) -> None:
    """Show a model choice field's choices as `label(obj)`, not `str(obj)`."""
    # Django calls field.label_from_instance(obj): an attribute of the field object overrides
    # the method, which the stubs allow only in a subclass.
    field.label_from_instance = label  # type: ignore[method-assign, assignment]
