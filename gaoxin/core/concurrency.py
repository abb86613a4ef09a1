"""Optimistic locking: a colleague's edit is never silently undone.

Two officers may have the same record open. The edit form carries the `version` of the record
it was built from; the service locks the stored row and refuses the write if somebody saved in
between, naming who and when (from the record's history). Every save of a stored record bumps
its version, so no write path can forget to.

- `Versioned`: the abstract model mixin with the `version` field and the bump on save.
- `lock_at_version(instance, version)`: in a service, the stored row locked for the
  transaction, refused when it is no longer at the form's version.
- `lock_current(instance)`: the same lock for a write that comes from no form (imports, the
  demo, another service), which holds no stale copy to compare.
- `VersionedFormMixin` / `add_version_field`: the hidden `version` field on an edit form, kept
  out of `details()`, the values the service is given.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.errors import DomainError

VERSION = "version"

M = TypeVar("M", bound=models.Model)


class Versioned(models.Model):
    """A record edited through forms by several people: each save of a stored row bumps its
    version, so a form built from an older version can be told apart."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or update_fields):
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, VERSION}
        super().save(*args, **kwargs)


def lock_current(instance: M) -> M:
    """The stored row of `instance`, locked for this transaction (fresh values, not the copy
    the caller holds)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def changed_by(instance: models.Model) -> tuple[str, str]:
    """Who last changed `instance` and when (local time, to the minute), from its history."""
    last = instance.history.select_related("history_user").first()  # type: ignore[attr-defined]
    who = _("another user")
    when = ""
    if last is not None:
        if last.history_user is not None:
            who = last.history_user.name or last.history_user.username
        when = formats.date_format(timezone.localtime(last.history_date), "Y-m-d H:i")
    return who, when


def lock_at_version(instance: M, version: Any) -> M:
    """The stored row, locked for this transaction, if it is still at `version` (the version
    the user's form was built from). Otherwise the write is refused with who changed the
    record and when, and nothing is written."""
    _check_given(version)
    current = lock_current(instance)
    check_version(current, version)
    return current


class StaleEdit(DomainError):
    """A write refused because the record changed since the caller read it (the API answers
    409 Conflict)."""


def _check_given(version: Any) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise DomainError(_("The form is missing its version; reload the page and try again."))


def check_version(current: models.Model, version: Any) -> None:
    """Refuse the write unless `current`, a row the caller has just locked (select_for_update,
    with whatever it selects related), is still at `version`."""
    _check_given(version)
    if current.version != version:  # type: ignore[attr-defined]
        raise StaleEdit(stale_message(current), field=VERSION)


def stale_message(current: models.Model) -> str:
    """Why a form built from an older version of `current` is refused: who changed the
    record after it was opened, and when."""
    who, when = changed_by(current)
    return _(
        "This %(record)s was changed by %(who)s at %(when)s after you opened it. "
        "Reload the page to see that change, then make yours again."
    ) % {"record": current._meta.verbose_name, "who": who, "when": when}


def lock_for_write(instance: M, version: int | None) -> M:
    """`lock_at_version` for a write from a form (`version` given), `lock_current` for one
    from no form (`version` None)."""
    return lock_current(instance) if version is None else lock_at_version(instance, version)


def version_field(record: Any = None) -> forms.IntegerField:
    """The hidden version. Given the `record` as the request read it, a stale version is an
    error of the form already, before the choices and rules built from the newer record can
    say something less helpful; the service checks again under its lock."""
    missing = gettext_lazy("The form is missing its version; reload the page and try again.")

    def current(value: int) -> None:
        if record is not None and value != record.version:
            raise forms.ValidationError(stale_message(record), code="stale")

    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        validators=[current],
        error_messages={
            "required": missing,
            "invalid": missing,
            "min_value": missing,
            "max_value": missing,
        },
    )


def add_version_field(form: forms.BaseForm, record: Any) -> None:
    """Give `form` the hidden version of the stored `record` it edits."""
    form.fields[VERSION] = version_field(record)
    form.fields[VERSION].initial = record.version


class VersionedFormMixin:
    """For a form that edits a stored record: the hidden `version` it was built from, for a
    ModelForm taken from its instance, for any other form from the `record` it is given. A
    form for a new record gets none."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        self._versioned_record = record
        super().__init__(*args, **kwargs)
        record = self.versioned_record()
        if record is not None and record.pk is not None:
            add_version_field(self, record)  # type: ignore[arg-type]
        else:
            self.fields.pop(VERSION, None)

    def versioned_record(self) -> Any:
        """The record this form edits (a ModelForm's instance unless said otherwise)."""
        return self._versioned_record or getattr(self, "instance", None)

    @property
    def opened_version(self) -> int | None:
        return self.cleaned_data.get(VERSION)

    def details(self) -> dict[str, Any]:
        """The cleaned values for the service, without the version."""
        data = dict(self.cleaned_data)
        data.pop(VERSION, None)
        return data
