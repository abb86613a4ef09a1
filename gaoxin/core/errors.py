"""The error every service raises when a rule of the domain refuses a change. Its message is
written for the user and shown as it is."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def refuse_unknown_fields(fields: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """A service taking `**fields` refuses any not in `allowed`. Naming one is the caller's
    mistake, not the user's: a TypeError, as for any unknown keyword."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")
