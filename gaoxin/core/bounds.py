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
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from gaoxin.core.formatting import WAN

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


# --- money as a person types it: in 万元 --------------------------------------------------


def _wan_text(yuan: Decimal) -> str:
    """Yuan as the number of 万元 a person would type: 50000 for 5亿, 0.5 for 5,000元, no
    trailing zeros and no exponent."""
    wan = (yuan / WAN).normalize()
    return f"{wan:f}"


def _wan_message() -> str:
    return gettext("Enter an amount in 万元 from 0 to below 1万亿元 (100,000,000万元).")


WAN_MESSAGE = lazy(_wan_message, str)()


class WanWidget(forms.TextInput):
    """A text box for an amount in 万元: a decimal keypad on a phone, and 万元 after the box."""

    template_name = "core/widgets/wan.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "inputmode": "decimal",
                "autocomplete": "off",
                "placeholder": gettext_lazy("e.g. 3200 or 5亿"),
                **(attrs or {}),
            }
        )


class WanField(forms.DecimalField):
    """An amount of money typed in 万元, kept in yuan.

    A bare number counts in 万元 ("3200" is 32,000,000 yuan); a number that says its unit is
    read in it ("5亿", "3,200万", "0.3亿", "500元", full-width digits), by the same parser as
    the imports (`parsing.parse_amount`). Only text is typed by a person: a number or Decimal
    (an initial, a disabled field's value) is already in yuan. The value is shown back in
    万元, so an edit form reads as it was typed."""

    widget = WanWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", MONEY_MAX)
        kwargs["error_messages"] = {
            **_range_errors(WAN_MESSAGE),
            **kwargs.get("error_messages", {}),
        }
        if kwargs.get("label") is not None:
            kwargs["label"] = in_wan(kwargs["label"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        from gaoxin.core.parsing import parse_amount  # parsing reads the bounds: import late

        try:
            return parse_amount(value, unit=WAN)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return _wan_text(Decimal(str(value)))
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not a number box: "5亿" is a fine answer, so no step, min or max for the browser.
        return {}


_YUAN_IN_LABEL = re.compile(r"([（(])(?:yuan|元)([）)])\s*$")


def _in_wan(label: Any) -> str:
    # A money field's label names the unit it is typed in: "计划总投资（元）", "amount (yuan)"
    # become "计划总投资（万元）", "amount (万元)" (lazily, in the language shown).
    return _YUAN_IN_LABEL.sub(r"\g<1>万元\g<2>", str(label))


in_wan = lazy(_in_wan, str)


def money_input(**kwargs: Any) -> WanField:
    """A form field for an amount of money outside a ModelForm: typed in 万元, kept in yuan."""
    return WanField(**kwargs)


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
    """An amount in yuan, from 0 to MONEY_MAX; a form types it in 万元 (`WanField`)."""

    upper = MONEY_MAX
    message = MONEY_MESSAGE

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        if self.has_default():
            defaults["initial"] = self.get_default()
        kwargs.pop("form_class", None)  # typed in 万元 whatever the form asks
        return WanField(**{**defaults, **kwargs})


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
    "WanField",
    "WanWidget",
    "YearField",
    "area_input",
    "count_input",
    "in_wan",
    "money_input",
    "range_constraint",
    "refusal_of",
    "register_refusal",
]
