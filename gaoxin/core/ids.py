"""Record ids read from a request. An id is ASCII digits within the range of a 64-bit
primary key: `str.isdigit()` also accepts "²" and "①" (which `int()` then refuses), and an
integer above 2**63 - 1 overflows SQLite's driver and matches no row on PostgreSQL. Every
view, selector and form that reads an id from a request goes through this module."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField, on SQLite and PostgreSQL alike
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(raw: Any) -> int | None:
    """The id `raw` names, or None when it names none (empty, not ASCII digits, 0, too big)."""
    text = str(raw if raw is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class IdField(forms.IntegerField):
    """An id in a form (a hidden `project` filter, a picked record): ASCII digits within
    the primary key's range, else the form's error."""

    default_error_messages = {"invalid": _("Enter a whole number.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


@IntegerField.register_lookup
class IntegerFieldInRange(In):
    """`pk__in=[…]` ignoring integers no row can have. Django (since 5.0) already answers an
    out-of-range `exact`, `gt`, `lt`… with no rows instead of letting SQLite's driver raise
    OverflowError; `in` (what ModelMultipleChoiceField asks) was left out, so a 40-digit id
    in a multi-select answered 500. Now it is refused as an unknown choice."""

    lookup_name = "in"

    def get_prep_lookup(self) -> Any:
        prepared = super().get_prep_lookup()
        if isinstance(prepared, (list, tuple, set, frozenset)):
            return [v for v in prepared if not isinstance(v, int) or -MAX_ID - 1 <= v <= MAX_ID]
        return prepared
