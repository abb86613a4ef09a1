"""`reverse()` remembered: a page reverses the same few URL names over and over (the top bar's
areas, a list's link per row), and Django works each one out afresh, some 30 µs a time — 2–3
ms of a list page. The answer depends only on the name, the arguments, the URLconf, the script
prefix and the current app, so it is kept under those (arguments of plain types only; anything
else is reversed every time). The templates' `{% url %}` goes through it too
(core/templatetags/urls_remembered.py, a template builtin)."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Reversed URLs kept: a list page's rows add one per record shown, so the store is emptied
# when it grows past this (what a working day's pages need fits many times over).
LIMIT = 20_000
_PLAIN = (int, str)
_remembered: dict[tuple[Any, ...], str] = {}


def _plain(values: Any) -> bool:
    return all(type(v) in _PLAIN or isinstance(v, str) for v in values)


def remembered_reverse(
    viewname: Any,
    args: list[Any] | tuple[Any, ...] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """reverse(viewname, args, kwargs, current_app=...), from memory when asked before."""
    args = tuple(args or ())
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    if not isinstance(viewname, str) or not _plain(args) or not _plain(v for _k, v in items):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    key = (viewname, args, items, current_app, get_urlconf(), get_script_prefix())
    url = _remembered.get(key)
    if url is None:
        url = reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
        if len(_remembered) >= LIMIT:
            _remembered.clear()
        _remembered[key] = url
    return url


def forget() -> None:
    _remembered.clear()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs: Any) -> None:
    # Tests that swap the URLconf: Django empties its own URL caches then, so does this.
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        forget()
