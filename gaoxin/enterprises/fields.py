"""The form fields that name an enterprise of the registry, one of each for every form.

`UsccField`: an enterprise named by its unified social credit code (a project registering its
company). `EnterpriseChoiceField`: an enterprise picked from what a search of the registry
found (`selectors.enterprise_matches`), never from a list of the whole registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.validators import validate_uscc


class UsccField(forms.CharField):
    """An optional unified social credit code, cleaned (full-width characters, spaces) and
    checked: the form's value is the code as stored, or "" when none was given."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = super().clean(value)
        return validate_uscc(code) if code else ""


def enterprise_options(matches: Sequence[Enterprise]) -> list[tuple[Any, str | Promise]]:
    """The choices of an enterprise picker: only what the registry search found."""
    if not matches:
        return [("", _("Search the registry above first"))]
    return [
        ("", _("Pick one of the enterprises found")),
        *((e.pk, f"{e.name}（{e.uscc}）") for e in matches),
    ]


class EnterpriseChoiceField(forms.ModelChoiceField):
    """An enterprise picked from a search's matches. The widget offers only the matches
    (`offer`); the queryset, the enterprises that may be picked at all, validates the choice,
    so a forged id outside it is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Enterprise"))
        kwargs.setdefault("queryset", Enterprise.objects.none())
        super().__init__(**kwargs)

    def offer(self, matches: Sequence[Enterprise], allowed: QuerySet[Enterprise]) -> None:
        self.queryset = allowed
        self.widget.choices = enterprise_options(matches)
