"""Reading the cells of government spreadsheets: amounts written as "1,200万" or "0.3亿",
dates as "2023年6月30日" or "2023.6.30", yes/no as "是" or "√", full-width digits and trailing
spaces. Each parser returns a Python value or raises ValueError with a message a user can read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gaoxin.core.bounds import COUNT_MAX, MONEY_MAX
from gaoxin.core.formatting import BAI_WAN, SHI_WAN, WAN, YI
from gaoxin.core.text import clean, fold, to_half_width

CENT = Decimal("0.01")

# What people write for "nothing here" in an optional cell.
BLANKS = frozenset({"", "-", "--", "—", "——", "/", "无", "暂无", "N/A", "n/a", "NA"})

# The multipliers a cell or a unit may put before 元.
_MULTIPLIERS = {
    "": Decimal(1),
    "千": Decimal(1000),
    "万": WAN,
    "十万": SHI_WAN,
    "百万": BAI_WAN,
    "千万": Decimal(10_000_000),
    "亿": YI,
}
_AMOUNT = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?|\.\d+)(?P<unit>十万|百万|千万|千|万|亿)?(?P<yuan>元)?$"
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


# Excel writes a character XML cannot hold as _xHHHH_ (NUL as _x0000_). python-calamine decodes
# most of these into the raw character, but leaves some (surrogates, escapes it misreads) as
# text; other writers leave them all. Both forms are removed from every cell read.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# C0 and C1 controls except tab, line feed and carriage return (whitespace, cleaned later), and
# lone surrogates: PostgreSQL refuses NUL in text and UTF-8 cannot carry a lone surrogate, so
# none of them may reach the database, on any database.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_HOSTILE = re.compile(f"{_EXCEL_ESCAPE.pattern}|{_CONTROL.pattern}")
SHOWN_CHARS = 40  # of a refused value quoted back in a message


def strip_control(text: str) -> str:
    """Text with Excel's _xHHHH_ escapes decoded, then every control character removed."""
    if _HOSTILE.search(text) is None:
        return text
    text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
    return _CONTROL.sub("", text)


def shown(value: object) -> str:
    """A refused value as quoted back in a message: a 10,000-character cell is cut short."""
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


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
    return clean(strip_control(value) if isinstance(value, str) else value)


def is_blank(value: object) -> bool:
    return cell_text(value) in BLANKS


# --- units of money, as a header or a sheet's unit row writes them ------------------------

MONEY_UNIT_NAMES = ("元", "千元", "万元", "百万元", "亿元")
# Units that are not money: in a unit row such as "单位：万元、人" they belong to other columns;
# in the header of an amount column they are a mistake.
_OTHER_UNITS = frozenset(
    {
        *"人名个家户项件台套次年月日天亩吨股%％‰",
        "万人",
        "千人",
        "百人",
        "人次",
        "平方米",
        "平米",
        "万平方米",
        "㎡",
        "m²",
        "m2",
        "公顷",
        "平方公里",
        "千瓦",
        "千瓦时",
        "万千瓦时",
        "百分比",
        "百分点",
    }
)


@dataclass(frozen=True)
class MoneyUnit:
    """What a unit written in a header or a unit row says about the amounts it covers."""

    written: str  # as written, tidied: "万元", "千美元", "人"
    factor: Decimal | None  # yuan per unit, for a unit of money in yuan
    kind: str  # "money", "foreign" (another currency), "other" (not money), "note" (not a unit)

    @property
    def name(self) -> str:
        """The unit as the preview shows it: "万元" for "万" or "人民币万元"."""
        for multiplier, factor in _MULTIPLIERS.items():
            if self.kind == "money" and self.factor == factor:
                return f"{multiplier}元"
        return self.written


def read_unit(text: str) -> MoneyUnit:
    """Classify one unit: "万元" → money ×10,000; "千美元" → foreign; "人" → other; "实缴" → a
    note, not a unit at all."""
    written = re.sub(r"\s", "", to_half_width(text))
    compact = written
    for mark in ("人民币", "RMB", "CNY", "¥"):
        compact = compact.replace(mark, "") if mark != "RMB" else re.sub("(?i)rmb", "", compact)
    if any(mark in written.upper() or mark in written for mark in _FOREIGN):
        return MoneyUnit(written, None, "foreign")
    multiplier = compact.removesuffix("元")
    if multiplier in _MULTIPLIERS and (compact.endswith("元") or multiplier or written != compact):
        return MoneyUnit(written, _MULTIPLIERS[multiplier], "money")
    if compact in _OTHER_UNITS:
        return MoneyUnit(written, None, "other")
    if compact.endswith(("元", "币", "镑", "卢布", "法郎")):
        return MoneyUnit(written, None, "foreign")  # a currency this parser does not know
    return MoneyUnit(written, None, "note")


# "单位：万元", "（单位：亿元）", "金额单位：万元", "单位:万元、人"; not "填报单位：科技局",
# where 单位 is an organisation.
_UNIT_SPEC = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=金额)|(?<=计量)|(?<=货币)|(?<=数量))单位\s*[:：]\s*"
    r"(?P<units>[^()（）\[\]【】]+)"
)
_UNIT_SEPARATORS = re.compile(r"[、,，;；/和及\s]+")


_CURRENCY_SPEC = re.compile(r"币种\s*[:：]\s*(?P<currency>[^\s()（）,，;；、]+)")


def read_unit_spec(text: str) -> list[MoneyUnit] | None:
    """The units a unit row's cell names ("单位：万元、人" → 万元 and 人; "币种：美元" → 美元), or
    None when the cell is not a unit statement. "币种：人民币" says nothing of 万 or 亿, so it
    adds no unit."""
    text = to_half_width(text)
    match = _UNIT_SPEC.search(text)
    currency = _CURRENCY_SPEC.search(text)
    if match is None and currency is None:
        return None
    units = []
    if match is not None:
        parts = _UNIT_SEPARATORS.split(match["units"].strip())
        units = [read_unit(part) for part in parts if part]
    if currency is not None and read_unit(currency["currency"]).kind == "foreign":
        units.append(read_unit(currency["currency"]))
    return units


def parse_amount(value: object, *, unit: Decimal = Decimal(1)) -> Decimal:
    """An amount of money in yuan, rounded to the fen.

    "1,200万", "1200万元", "0.3亿", "３００万", "12,000,000" and numbers are accepted; a
    foreign currency is refused. `unit` is what a bare number counts in (a column headed
    "注册资本（万元）" holds numbers of 万元).
    """
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not an amount of money.") % {"value": shown(value)})
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount of money.") % {"value": shown(value)}
            ) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not an amount of money.") % {"value": shown(value)})
        return _checked_amount(number * unit, value)
    text = fold(cell_text(value))  # full-width ，．－／ read as their ASCII twins
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
                % {"value": shown(text)}
            )
    says_yuan = False  # "¥1,000" and "人民币1000" say their unit as "1000元" does
    for mark in _YUAN_MARKS:
        before = compact
        compact = compact.replace(mark, "") if mark != "RMB" else re.sub("(?i)rmb", "", compact)
        says_yuan = says_yuan or compact != before
    compact = compact.removeprefix("约")
    negative = compact.startswith("-")
    match = _AMOUNT.match(compact.lstrip("+-"))
    if match is None:
        if unit == WAN:  # a bare number counts in 万元 here: the example must say so
            message = _(
                "“%(value)s” is not an amount of money: write it in 万元 like 3200, or with "
                "its unit like 5亿, 3,200万 or 500元."
            )
        else:
            message = _(
                "“%(value)s” is not an amount of money: write it like 1200万, 0.3亿 or 12000000."
            )
        raise ValueError(message % {"value": shown(text)})
    if negative:
        raise ValueError(_("The amount “%(value)s” cannot be negative.") % {"value": shown(text)})
    number = Decimal(match["number"])
    if match["unit"] or match["yuan"] or says_yuan:
        factor = _MULTIPLIERS[match["unit"] or ""]  # the cell says its own unit: "3亿", "500元"
    else:
        factor = unit
    return _checked_amount(number * factor, text)


def _checked_amount(amount: Decimal, written: object) -> Decimal:
    if amount < 0:
        raise ValueError(
            _("The amount “%(value)s” cannot be negative.") % {"value": shown(written)}
        )
    # Checked before rounding: quantize() itself fails on a number of more than 28 digits.
    if amount > MONEY_MAX:
        raise ValueError(
            _(
                "The amount “%(value)s” is %(yi)s亿元; an amount must be below %(limit)s. "
                "Check the figure and its unit."
            )
            % {"value": shown(written), "yi": _yi(amount), "limit": _MONEY_LIMIT}
        )
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _yi(amount: Decimal) -> str:
    """An amount in 亿元 to two decimals (cut, not rounded: 9,999.999亿 is not 10,000亿), in
    scientific notation beyond reason."""
    yi = amount / YI
    if yi >= Decimal(10) ** 15:
        return f"{yi:.2E}"
    return f"{yi.quantize(CENT, rounding=ROUND_DOWN):,}"


# MONEY_MAX is the last fen below a round limit: 1万亿元 (10,000亿元) today.
_MONEY_LIMIT = (
    f"{((MONEY_MAX + CENT) / (WAN * YI)).normalize():,f}万亿元"
    f"（{((MONEY_MAX + CENT) / YI).normalize():,f}亿元）"
)


def parse_date(value: object) -> dt.date:
    """A day from an Excel date cell or text: "2023-06-30", "2023/6/30", "2023.6.30",
    "2023年6月30日", "20230630"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = fold(cell_text(value))  # full-width ，．－／ read as their ASCII twins
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
                _("“%(value)s” is not a day of the calendar.") % {"value": shown(text)}
            ) from None
    if _MONTH_ONLY.match(text):
        raise ValueError(
            _("“%(value)s” has no day: write the full date, e.g. 2023-06-30.")
            % {"value": shown(text)}
        )
    raise ValueError(
        _("“%(value)s” is not a date: write it like 2023-06-30 or 2023年6月30日.")
        % {"value": shown(text)}
    )


def parse_int(value: object) -> int:
    """A whole number: 120, "1,200", "120人", "３００"."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": shown(value)})
    if isinstance(value, int):
        return _checked_count(value, value)
    if isinstance(value, float | Decimal):
        if not Decimal(value).is_finite() or value != int(value):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": shown(value)})
        return _checked_count(int(value), value)
    text = fold(cell_text(value))  # full-width ，．－／ read as their ASCII twins
    if not text:
        raise ValueError(_("The number is empty."))
    compact = re.sub(r"[\s,]", "", text)
    compact = re.sub(r"(人|名|个|家|年)$", "", compact)
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", compact) is None:
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": shown(text)})
    return _checked_count(int(Decimal(compact)), text)


def _checked_count(number: int, written: object) -> int:
    if abs(number) > COUNT_MAX:
        raise ValueError(
            _("The number “%(value)s” is too large: at most %(max)s.")
            % {"value": shown(written), "max": f"{COUNT_MAX:,}"}
        )
    return number


def parse_bool(value: object) -> bool:
    """Yes or no: 是/否, Y/N, √/×, 规上/规下, 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = fold(cell_text(value))  # full-width ，．－／ read as their ASCII twins
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(_("“%(value)s” is not yes or no: write 是 or 否.") % {"value": shown(text)})
