"""Reading django-simple-history into "who changed what, when": the 变更记录 panel."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.utils.translation import gettext as _

from gaoxin.core.concurrency import VERSION

if TYPE_CHECKING:  # accounts sits above core: its User is named for the type checker only
    from gaoxin.accounts.models import User

HISTORY_LIMIT = 50


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def save_recorded(obj: models.Model, by: User | None, *, reason: str | None = None) -> None:
    """Save `obj` with its history row naming who changed it (`by`) and, when given, why.

    django-simple-history reads both from private attributes of the instance being saved; this
    is the one place that knows so."""
    obj._history_user = by  # type: ignore[attr-defined]
    if reason is not None:
        obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()


def _display(model_field: models.Field[Any, Any], value: Any, fk_names: dict[Any, str]) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return fk_names.get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def history_entries(obj: models.Model, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The newest `limit` changes of a record, newest first, each field as old → new.

    Reads the history rows in one query and the names behind changed foreign keys in one
    query per related model.
    """
    history = obj.history  # type: ignore[attr-defined]  # simple-history adds the manager
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    model = obj._meta.model  # obj may be a lazy request.user
    hidden = list(getattr(model, "HISTORY_HIDDEN", ()))
    if any(f.name == VERSION for f in model._meta.concrete_fields):
        hidden.append(VERSION)  # bumped by every save: not a change anyone made
    pairs = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        delta = (
            record.diff_against(previous, excluded_fields=hidden)
            if previous is not None and record.history_type == "~"
            else None
        )
        pairs.append((record, delta))

    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for _record, delta in pairs:
        for change in delta.changes if delta else ():
            model_field = model._meta.get_field(change.field)
            if model_field.is_relation and model_field.related_model is not None:
                wanted[model_field.related_model].update(
                    v for v in (change.old, change.new) if v is not None
                )
    names: dict[type[models.Model], dict[Any, str]] = {
        related: {o.pk: str(o) for o in related._default_manager.filter(pk__in=pks)}
        for related, pks in wanted.items()
    }

    actions = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, delta in pairs:
        who = str(record.history_user) if record.history_user else _("System")
        entry = HistoryEntry(
            when=record.history_date,
            who=who,
            action=actions.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        for change in delta.changes if delta else ():
            model_field = cast("models.Field[Any, Any]", model._meta.get_field(change.field))
            related = model_field.related_model if model_field.is_relation else None
            fk_names = names.get(related, {}) if related is not None else {}
            entry.changes.append(
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=_display(model_field, change.old, fk_names),
                    new=_display(model_field, change.new, fk_names),
                )
            )
        if record.history_type == "~" and not entry.changes and not entry.reason:
            continue  # a save that changed nothing worth showing
        entries.append(entry)
    return entries
