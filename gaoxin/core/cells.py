"""The cells of a record table (the records behind a figure, /metrics/<key>/), each written as
its kind asks: money in 万元/亿元 and areas in 平方米/万平方米, right-aligned with equal-width
digits; flags as 是/否; dates as dates; counts grouped; a record's name a link to its page.

The kind comes from what the column reads: the model field at the end of its path (a
`MoneyField`, an `AreaField`, a `BooleanField`, a `DateField`…), or the output field of the
annotation it names. A plain decimal column (a monthly figure, a leased area) counts in the
unit of the figure it makes up. What no field describes (a property, a method) is written by
the type of its value. No table lists its columns' kinds by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import formatting
from gaoxin.core.bounds import AreaField, FigureField, MoneyField

# Attribute names that are a record's name: a cell showing one links to the record.
_NAME_ATTRIBUTES = frozenset({"name", "short_name", "display_name", "title", "__str__"})


_UNITS_IN_LABELS = ("（元）", "(元)", " (yuan)", "(yuan)", "（平方米）", " (m²)", "(m²)", "（㎡）")


class Shown(Enum):
    TEXT = "text"
    MONEY = "money"
    AREA = "area"
    YES_NO = "yes_no"
    DATE = "date"
    DATETIME = "datetime"
    COUNT = "count"
    NUMBER = "number"

    @property
    def numeric(self) -> bool:
        return self in (Shown.MONEY, Shown.AREA, Shown.COUNT, Shown.NUMBER)


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False
    kind: str = Shown.TEXT.value


@dataclass(frozen=True)
class RecordColumn:
    """A column of a record table with how its cells are written."""

    label: str
    path: str
    shown: Shown | None  # None: by the type of each value
    link: bool  # the cell links to the record holding the value, if it has a page
    numeric: bool

    def cell(self, obj: Any) -> Cell:
        *hops, last = self.path.split(".")
        holder = obj
        for hop in hops:
            holder = getattr(holder, hop) if holder is not None else None
        value = _read(holder, last) if holder is not None else None
        shown = self.shown or _shown_by_value(value)
        url = None
        if self.link and value is not None:
            url = _url_of(holder)
        return Cell(_text(shown, value), url, shown.numeric, shown.value)


def record_columns(
    queryset: models.QuerySet[Any], columns: Sequence[Any], unit_kind: Shown | None
) -> list[RecordColumn]:
    """The columns of a metric's record table. `unit_kind` is how a plain decimal column is
    written: as the figure's unit (money for a figure in yuan)."""
    if not columns:
        return [RecordColumn(_("Record"), "__str__", Shown.TEXT, True, False)]
    made = []
    # The row's own record is named by the first text column read on it (a blocker's
    # description, a project's name); a related record by its name ("enterprise.name").
    own = next(
        (
            index
            for index, column in enumerate(columns)
            if "." not in column.path
            and column.kind.value == "value"
            and _shown_by_field(queryset, column.path, unit_kind) in (Shown.TEXT, None)
            and not column.path.startswith("get_")
        ),
        None,
    )
    for index, column in enumerate(columns):
        shown = _shown_by_field(queryset, column.path, unit_kind)
        last = column.path.rsplit(".", 1)[-1]
        made.append(
            RecordColumn(
                label=_label(str(column.label), shown),
                path=column.path,
                shown=shown,
                link=index == own or last in _NAME_ATTRIBUTES,
                numeric=shown is not None and shown.numeric,
            )
        )
    return made


def unit_kind(unit: Any) -> Shown:
    """How a plain decimal column counts, by the unit of the figure it makes up."""
    from gaoxin.core.metrics import Unit

    return {Unit.YUAN: Shown.MONEY, Unit.SQUARE_METRE: Shown.AREA}.get(unit, Shown.NUMBER)


def export_columns(
    queryset: models.QuerySet[Any], columns: Sequence[Any], unit_kind: Shown | None
) -> list[Any]:
    """The columns of the records' sheet: money stays a number of yuan and area of m² (a sheet
    sums them), so a header that does not say its unit gets it ("金额（元）")."""
    made = []
    for column in columns:
        shown = _shown_by_field(queryset, column.path, unit_kind)
        label = str(column.label)
        suffix = {Shown.MONEY: "（元）", Shown.AREA: "（平方米）"}.get(shown) if shown else None
        if suffix and _label(label, shown) == label and not label.endswith(("）", ")")):
            column = dataclasses.replace(column, label=f"{label}{suffix}")
        made.append(column)
    return made


def record_rows(columns: Sequence[RecordColumn], objects: Iterable[Any]) -> list[list[Cell]]:
    return [[column.cell(obj) for column in columns] for obj in objects]


def _label(label: str, shown: Shown | None) -> str:
    # Each cell says its unit (1,486万元, 32.5亿元): a header's "(yuan)" would contradict it.
    if shown in (Shown.MONEY, Shown.AREA):
        for unit in (
            "（元）",
            "(元)",
            " (yuan)",
            "(yuan)",
            "（平方米）",
            " (m²)",
            "(m²)",
            "（㎡）",
        ):
            label = label.removesuffix(unit)
    return label


def _field_at(queryset: models.QuerySet[Any], path: str) -> Any:
    """The model field (or the annotation's output field) a dotted path ends on, if any."""
    *hops, last = path.split(".")
    if not hops and last in queryset.query.annotations:
        try:
            return queryset.query.annotations[last].output_field
        except Exception:  # an annotation whose type the database decides (FieldError)
            return None
    model = queryset.model
    try:
        for hop in hops:
            field = model._meta.get_field(hop)
            if not field.is_relation or field.related_model is None:
                return None
            model = field.related_model
        return model._meta.get_field(last)
    except FieldDoesNotExist:
        return None


def _shown_by_field(
    queryset: models.QuerySet[Any], path: str, unit_kind: Shown | None
) -> Shown | None:
    field = _field_at(queryset, path)
    if field is None or field.is_relation or getattr(field, "choices", None):
        return None
    if isinstance(field, MoneyField):
        return Shown.MONEY
    if isinstance(field, AreaField):
        return Shown.AREA
    if isinstance(field, FigureField):
        return Shown.NUMBER
    if isinstance(field, models.BooleanField):
        return Shown.YES_NO
    if isinstance(field, models.DateTimeField):
        return Shown.DATETIME
    if isinstance(field, models.DateField):
        return Shown.DATE
    if isinstance(field, models.DecimalField | models.FloatField):
        return unit_kind or Shown.NUMBER
    if isinstance(field, models.IntegerField):
        return Shown.COUNT
    return Shown.TEXT


def _shown_by_value(value: Any) -> Shown:
    if isinstance(value, bool):
        return Shown.YES_NO
    if isinstance(value, dt.datetime):
        return Shown.DATETIME
    if isinstance(value, dt.date):
        return Shown.DATE
    if isinstance(value, int):
        return Shown.COUNT
    if isinstance(value, Decimal | float):
        return Shown.NUMBER
    return Shown.TEXT


def _read(holder: Any, attribute: str) -> Any:
    if attribute == "__str__":
        return str(holder)
    value = getattr(holder, attribute)
    if callable(value) and not isinstance(value, models.Manager):
        value = value()
    return value


def _url_of(obj: Any) -> str | None:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if callable(get_url) else None


def _text(shown: Shown, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if shown is Shown.MONEY:
        return formatting.money(value)
    if shown is Shown.AREA:
        return formatting.area(value)
    if shown is Shown.YES_NO:
        return _("Yes") if value else _("No")
    if shown is Shown.DATETIME and isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return str(value.strftime("%Y-%m-%d %H:%M"))
    if shown in (Shown.DATE, Shown.DATETIME) and isinstance(value, dt.date):
        return value.isoformat()
    if shown in (Shown.NUMBER, Shown.COUNT) and isinstance(value, int | Decimal | float):
        return formatting.number(value)
    return str(value)


__all__ = [
    "Cell",
    "RecordColumn",
    "Shown",
    "export_columns",
    "record_columns",
    "record_rows",
    "unit_kind",
]
