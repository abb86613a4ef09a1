"""What a zone's amounts and areas can be. A value outside these is a typing mistake (or an
attack), not a figure: forms, imports and the database all refuse it, so a stored value always
reads back exactly on SQLite (whose decimals are 8-byte floats: 15 significant digits) and on
PostgreSQL alike.

The model fields here carry the bounds to every layer at once: their validators (the model's
`full_clean`), their form fields (`min_value`/`max_value`, with a message that says the limit)
and, through `range_constraint`, a `CheckConstraint` the database enforces. A constraint made
here is also registered, so that `save_or_show` can turn the database's refusal into an error
on the right form field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext

# Below 1万亿元 (10^12 yuan): more than any zone's investment, output or capital.
MONEY_MAX = Decimal("999999999999.99")
# Below 1亿 m² (100 km²): more than any zone's land or floor area.
AREA_MAX = Decimal("99999999.99")
# Head counts and other whole numbers a person types.
COUNT_MAX = 10_000_000


def _limit(value: Decimal | int) -> str:
    # Grouped in threes whatever the language, so that a limit reads at a glance (a year not).
    return f"{value:,}" if value >= 10_000 else str(value)


def _money_message() -> str:
    return gettext("Enter an amount from 0 to %(max)s yuan (less than 1万亿元).") % {
        "max": _limit(MONEY_MAX)
    }


def _area_message() -> str:
    return gettext("Enter an area from 0 to %(max)s m² (less than 1亿 m², i.e. 10,000万 m²).") % {
        "max": _limit(AREA_MAX)
    }


def _figure_message() -> str:
    return gettext("Enter a figure from 0 to %(max)s.") % {"max": _limit(MONEY_MAX)}


def count_message(upper: Decimal | int, lower: int = 0) -> str:
    return gettext("Enter a whole number from %(min)s to %(max)s.") % {
        "min": _limit(lower),
        "max": _limit(upper),
    }


# Evaluated when shown, in the language of the request.
MONEY_MESSAGE = lazy(_money_message, str)()
AREA_MESSAGE = lazy(_area_message, str)()
FIGURE_MESSAGE = lazy(_figure_message, str)()
_count_message = lazy(count_message, str)


def _range_errors(message: Any) -> dict[str, Any]:
    # Too many digits is the same mistake as too large a value: one message for both.
    return {code: message for code in ("min_value", "max_value", "max_digits", "max_whole_digits")}


def decimal_input(upper: Decimal, message: Any, **kwargs: Any) -> forms.DecimalField:
    """A form field for a bounded amount, area or figure outside a ModelForm."""
    kwargs.setdefault("max_digits", 16)
    kwargs.setdefault("decimal_places", 2)
    kwargs["error_messages"] = {**_range_errors(message), **kwargs.get("error_messages", {})}
    return forms.DecimalField(min_value=Decimal(0), max_value=upper, **kwargs)


def money_input(**kwargs: Any) -> forms.DecimalField:
    return decimal_input(MONEY_MAX, MONEY_MESSAGE, **kwargs)


def area_input(**kwargs: Any) -> forms.DecimalField:
    return decimal_input(AREA_MAX, AREA_MESSAGE, **kwargs)


def count_input(upper: int = COUNT_MAX, lower: int = 0, **kwargs: Any) -> forms.IntegerField:
    """A form field for a bounded whole number outside a ModelForm."""
    message = _count_message(upper, lower)
    kwargs["error_messages"] = {**_range_errors(message), **kwargs.get("error_messages", {})}
    return forms.IntegerField(min_value=lower, max_value=upper, **kwargs)


class _BoundedDecimalField(models.DecimalField):
    upper: Decimal
    message: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self) -> list[Any]:
        return [
            *super().validators,
            MinValueValidator(Decimal(0), message=self.message),
            MaxValueValidator(self.upper, message=self.message),
        ]

    def formfield(self, **kwargs: Any) -> Any:
        error_messages = {**_range_errors(self.message), **kwargs.pop("error_messages", {})}
        return super().formfield(
            **{
                "min_value": Decimal(0),
                "max_value": self.upper,
                "error_messages": error_messages,
                **kwargs,
            }
        )


class MoneyField(_BoundedDecimalField):
    """An amount in yuan, from 0 to MONEY_MAX."""

    upper = MONEY_MAX
    message = MONEY_MESSAGE


class AreaField(_BoundedDecimalField):
    """An area in m², from 0 to AREA_MAX."""

    upper = AREA_MAX
    message = AREA_MESSAGE


class FigureField(_BoundedDecimalField):
    """A figure of any unit (a plan's baseline or target), from 0 to MONEY_MAX."""

    upper = MONEY_MAX
    message = FIGURE_MESSAGE


class _BoundedCountMixin:
    def __init__(self, *args: Any, upper: int = COUNT_MAX, lower: int = 0, **kwargs: Any) -> None:
        self.upper = upper
        self.lower = lower
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.upper != COUNT_MAX:
            kwargs["upper"] = self.upper
        if self.lower:
            kwargs["lower"] = self.lower
        return name, path, args, kwargs

    @cached_property
    def validators(self) -> list[Any]:
        message = _count_message(self.upper, self.lower)
        return [
            *super().validators,  # type: ignore[misc]
            MinValueValidator(self.lower, message=message),
            MaxValueValidator(self.upper, message=message),
        ]

    def formfield(self, **kwargs: Any) -> Any:
        error_messages = {
            **_range_errors(_count_message(self.upper, self.lower)),
            **kwargs.pop("error_messages", {}),
        }
        return super().formfield(  # type: ignore[misc]
            **{
                "min_value": self.lower,
                "max_value": self.upper,
                "error_messages": error_messages,
                **kwargs,
            }
        )


class CountField(_BoundedCountMixin, models.PositiveIntegerField):
    """A whole number a person types (a head count), from 0 to `upper` (COUNT_MAX)."""


class SmallCountField(_BoundedCountMixin, models.PositiveSmallIntegerField):
    """A small whole number a person types (years of validity, people), from 0 to `upper`."""


# The years a record can name (a year an enterprise became 规上, a plan's target year).
YEAR_MIN = 1949
YEAR_MAX = 2100


class YearField(SmallCountField):
    """A calendar year a person types, from YEAR_MIN to YEAR_MAX."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("lower", YEAR_MIN)
        kwargs.setdefault("upper", YEAR_MAX)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("lower", None)
        kwargs.pop("upper", None)
        return name, path, args, kwargs


# --- the database's refusals, said in the form's words -------------------------------------


@dataclass(frozen=True)
class Refusal:
    field: str
    message: Any


REFUSALS: dict[str, Refusal] = {}


def register_refusal(constraint: str, *, field: str, message: Any) -> None:
    """Say which form field a database constraint guards and what to tell the user."""
    REFUSALS[constraint] = Refusal(field, message)


def range_constraint(
    prefix: str, field: str, upper: Decimal | int, message: Any = None, lower: int = 0
) -> models.CheckConstraint:
    """`<prefix>_<field>_range`: the database refuses what the field's bounds refuse (a NULL
    passes: whether a value is required is the column's own business)."""
    name = f"{prefix}_{field}_range"
    if message is None:
        messages: dict[Decimal | int, Any] = {MONEY_MAX: MONEY_MESSAGE, AREA_MAX: AREA_MESSAGE}
        message = messages.get(upper)
    register_refusal(name, field=field, message=message or _count_message(upper, lower))
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": lower, f"{field}__lte": upper}),
        name=name,
    )


_SQLITE_CONSTRAINT = re.compile(r"CHECK constraint failed: (\w+)")


def refusal_of(error: Exception) -> Refusal | None:
    """The registered refusal behind a database error, if it names one of ours."""
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is None:
        match = _SQLITE_CONSTRAINT.search(str(error))
        name = match.group(1) if match else None
    return REFUSALS.get(name) if name else None


__all__ = [
    "AREA_MAX",
    "COUNT_MAX",
    "MONEY_MAX",
    "YEAR_MAX",
    "YEAR_MIN",
    "AreaField",
    "CountField",
    "FigureField",
    "MoneyField",
    "Refusal",
    "SmallCountField",
    "YearField",
    "area_input",
    "count_input",
    "money_input",
    "range_constraint",
    "refusal_of",
    "register_refusal",
]
