"""Reading the cells of government spreadsheets: amounts written as "1,200万" or "0.3亿",
dates as "2023年6月30日" or "2023.6.30", yes/no as "是" or "√", full-width digits and trailing
spaces. Each parser returns a Python value or raises ValueError with a message a user can read.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gaoxin.core.text import clean

CENT = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)

# What people write for "nothing here" in an optional cell.
BLANKS = frozenset({"", "-", "--", "—", "——", "/", "无", "暂无", "N/A", "n/a", "NA"})

_UNITS = {"": Decimal(1), "千": Decimal(1000), "万": WAN, "百万": Decimal(1_000_000), "亿": YI}
_AMOUNT = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?|\.\d+)(?P<unit>千|万|百万|亿)?(?:元|人民币|元人民币)?$"
)
_YUAN_MARKS = ("人民币", "RMB", "CNY", "¥")
_FOREIGN = (
    "美元",
    "美金",
    "港元",
    "港币",
    "欧元",
    "日元",
    "英镑",
    "澳门元",
    "新台币",
    "韩元",
    "USD",
    "HKD",
    "EUR",
    "JPY",
    "GBP",
    "US$",
    "HK$",
    "$",
    "€",
    "£",
)

_DATE_PATTERNS = (
    re.compile(
        r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
    ),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
_MONTH_ONLY = re.compile(r"^\d{4}(?:[-/.]\d{1,2}|年\d{1,2}月)$")

_TRUE = frozenset(
    {"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有", "规上", "是规上", "已规上"}
)
_FALSE = frozenset(
    {"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "不是", "无", "规下", "非规上", "未规上"}
)


def cell_text(value: object) -> str:
    """A cell as tidy text; whole numbers read as floats (13800138000.0) lose the ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time.min else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(value)


def is_blank(value: object) -> bool:
    return cell_text(value) in BLANKS


def parse_amount(value: object, *, unit: Decimal = Decimal(1)) -> Decimal:
    """An amount of money in yuan, rounded to the fen.

    "1,200万", "1200万元", "0.3亿", "３００万", "12,000,000" and numbers are accepted; a
    foreign currency is refused. `unit` is what a bare number counts in (a column headed
    "注册资本（万元）" holds numbers of 万元).
    """
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not an amount of money.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount of money.") % {"value": value}
            ) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not an amount of money.") % {"value": value})
        return _checked_amount(number * unit, value)
    text = cell_text(value)
    if not text:
        raise ValueError(_("The amount is empty."))
    compact = re.sub(r"[\s,]", "", text)
    upper = compact.upper()
    for mark in _FOREIGN:
        if mark in upper or mark in compact:
            raise ValueError(
                _(
                    "“%(value)s” is in a foreign currency; write the amount in yuan (元, 万元 "
                    "or 亿元) after converting it."
                )
                % {"value": text}
            )
    for mark in _YUAN_MARKS:
        compact = compact.replace(mark, "") if mark != "RMB" else re.sub("(?i)rmb", "", compact)
    compact = compact.removeprefix("约")
    negative = compact.startswith("-")
    match = _AMOUNT.match(compact.lstrip("+-"))
    if match is None:
        raise ValueError(
            _("“%(value)s” is not an amount of money: write it like 1200万, 0.3亿 or 12000000.")
            % {"value": text}
        )
    if negative:
        raise ValueError(_("The amount “%(value)s” cannot be negative.") % {"value": text})
    number = Decimal(match["number"])
    factor = _UNITS[match["unit"]] if match["unit"] else unit
    return _checked_amount(number * factor, text)


def _checked_amount(amount: Decimal, shown: object) -> Decimal:
    if amount < 0:
        raise ValueError(_("The amount “%(value)s” cannot be negative.") % {"value": shown})
    if amount >= Decimal(10) ** 16:
        raise ValueError(_("The amount “%(value)s” is too large.") % {"value": shown})
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_date(value: object) -> dt.date:
    """A day from an Excel date cell or text: "2023-06-30", "2023/6/30", "2023.6.30",
    "2023年6月30日", "20230630"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        raise ValueError(_("The date is empty."))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a day of the calendar.") % {"value": text}
            ) from None
    if _MONTH_ONLY.match(text):
        raise ValueError(
            _("“%(value)s” has no day: write the full date, e.g. 2023-06-30.") % {"value": text}
        )
    raise ValueError(
        _("“%(value)s” is not a date: write it like 2023-06-30 or 2023年6月30日.") % {"value": text}
    )


def parse_int(value: object) -> int:
    """A whole number: 120, "1,200", "120人", "３００"."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(value)
    text = cell_text(value)
    if not text:
        raise ValueError(_("The number is empty."))
    compact = re.sub(r"[\s,]", "", text)
    compact = re.sub(r"(人|名|个|家|年)$", "", compact)
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", compact) is None:
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(Decimal(compact))


def parse_bool(value: object) -> bool:
    """Yes or no: 是/否, Y/N, √/×, 规上/规下, 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = cell_text(value)
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(_("“%(value)s” is not yes or no: write 是 or 否.") % {"value": text})
