"""The economy (经济运行): the indicator catalogue, enterprises' figures as the figures page reads
them (the rows in effect), and a feed of one month's figures from a system (统计局, 税务) or an
enterprise's own report (企业填报), written as the sheet import and the self-report page write
them: through `figures_record`, with the same precedence of sources and revisions kept.

Who may do what is the pages' rule. Staff read their zones' figures (the figures page); an
enterprise user reads its own enterprise's self-reported figures (what its report form shows
again). The bureau's, tax bureau's and an officer's imported figures are written by those who
may import a sheet (administrators and officers); 企业填报 by those who may fill in an
enterprise's month: its own users, and officers and administrators of its zone.

Where the token is kept: figures have no history table; each row keeps who recorded it
(`recorded_by`, the token's user) and its batch. A feed's rows get an `ImportBatch` named after
the token (as an import's batch is named after its file); an enterprise's report is its
`SelfReport`, whose history names the token (api/history.py).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from gaoxin.accounts.models import User
from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.history import via_token
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import MAX_ID, FilterId
from gaoxin.core.access import WRITERS, require_roles, role_of, scope, zone_ids_for
from gaoxin.core.bounds import YEAR_MIN
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.economy.models import (
    AMOUNT_DIGITS,
    FigureValue,
    ImportBatch,
    Indicator,
    Source,
)
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.selectors import SELF_REPORT
from gaoxin.economy.reporting.services import is_industrial, self_report_record
from gaoxin.economy.selectors import values_in_effect
from gaoxin.economy.services import KEYS_PER_QUERY, FigureInput, RecordResult, figures_record
from gaoxin.enterprises import access as enterprise_access
from gaoxin.enterprises.models import Enterprise

router = Router(auth=TokenAuth("economy"), tags=["economy"])

MAX_ROWS = 5000
# 企业填报 is an enterprise's report, saved one enterprise at a time as its page saves it
# (a dozen queries each): a call reports this many enterprises at most.
MAX_SELF_REPORTS = 100
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
SourceCode = Literal["bureau", "tax", "import", "self"]
# The sources a sheet import writes (import_views.SOURCES); 企业填报 is the self-report's.
IMPORTED = frozenset({Source.BUREAU.value, Source.TAX.value, Source.IMPORT.value})


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    aliases: str
    unit: str = Field(description="yuan (元) or person (人)")
    nature: str = Field(description="flow (months add up) or stock (the period's end value)")
    industrial_only: bool
    signed: bool = Field(description="may be negative (利润总额)")
    self_reported: bool
    order: int


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **COMMON_ERRORS},
    operation_id="indicator_list",
)
@paginate(IdCursor)
def indicator_list(request: HttpRequest) -> Any:
    """The catalogue's active indicators (what figures and reports name by `code`)."""
    return Indicator.objects.filter(is_active=True)


class FigureOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    indicator: str = Field(description="the indicator's code")
    period: str = Field(description="2023-06, or 2023-01~02 for 1–2月 given as one")
    year: int
    month: int
    first_month: int
    amount: Decimal = Field(description="the period's own value: 元 (yuan) or people")
    cumulative: Decimal | None = Field(description="本年累计 as the source gave it")
    source: str
    recorded_at: dt.datetime
    in_effect: bool

    @staticmethod
    def resolve_indicator(obj: FigureValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_period(obj: FigureValue) -> str:
        return obj.period.key

    @staticmethod
    def resolve_recorded_at(obj: FigureValue) -> dt.datetime:
        return obj.known_from


Month = Field("", max_length=7, pattern=f"({MONTH_PATTERN})|^$", description="YYYY-MM")


class FigureFilters(Schema):
    """The figures page's filters (indicator, month), and an enterprise, a range of months and
    a source."""

    enterprise: FilterId
    indicator: str = Field("", max_length=30, description="an indicator's code")
    period: str = Month
    period_from: str = Month
    period_to: str = Month
    source: Literal["", "bureau", "tax", "import", "self"] = ""


def _month(text: str, name: str) -> tuple[int, int] | None:
    if not text:
        return None
    year, month = int(text[:4]), int(text[5:7])
    if not YEAR_MIN <= year <= 2100:
        raise ValidationError(
            [
                {
                    "loc": ("query", "filters", name),
                    "msg": _("Pick a year from %(min)s to %(max)s.")
                    % {"min": YEAR_MIN, "max": 2100},
                    "type": "value_error",
                }
            ]
        )
    return year, month


def _figures_for(user: User) -> QuerySet[FigureValue]:
    """What the pages show the user: staff the rows in effect of their zones (the figures
    page); an enterprise user its own enterprise's current self-reported rows (its report
    form); anyone else nothing."""
    role = role_of(user)
    if role in STAFF_ROLES:
        return values_in_effect(zone_ids_for(user, None))
    if role == Role.ENTERPRISE:
        own = scope(user, Enterprise.objects.all(), SELF_REPORT, whole_reach=True)
        return FigureValue.objects.filter(
            enterprise_id__in=own.values("pk"), source=Source.SELF, known_until__isnull=True
        )
    return FigureValue.objects.none()


@router.get(
    "/figures", response={200: list[FigureOut], **COMMON_ERRORS}, operation_id="figure_list"
)
@paginate(IdCursor)
def figure_list(request: HttpRequest, filters: Query[FigureFilters]) -> Any:
    """The figures the token's user reads on the pages, filtered."""
    rows = _figures_for(request.user)  # type: ignore[arg-type]
    if filters.enterprise is not None:
        rows = rows.filter(enterprise_id=filters.enterprise)
    if filters.indicator:
        rows = rows.filter(indicator__code=filters.indicator)
    if filters.source:
        rows = rows.filter(source=filters.source)
    one = _month(filters.period, "period")
    if one is not None:
        # A month's row, or the 1–2月 row ending in it (as the figures page reads a month).
        rows = rows.filter(year=one[0], month=one[1])
    start = _month(filters.period_from, "period_from")
    if start is not None:
        rows = rows.filter(Q(year__gt=start[0]) | Q(year=start[0], month__gte=start[1]))
    end = _month(filters.period_to, "period_to")
    if end is not None:
        rows = rows.filter(Q(year__lt=end[0]) | Q(year=end[0], month__lte=end[1]))
    return rows.select_related("indicator")


# --- the feed ------------------------------------------------------------------------------

Amount = Field(max_digits=AMOUNT_DIGITS, decimal_places=2, description="元 (yuan) or people")


class FigureRowIn(Schema):
    enterprise_id: int | None = Field(None, ge=1, le=MAX_ID)
    uscc: str | None = Field(None, max_length=18, description="统一社会信用代码, if no id")
    indicator: str = Field(max_length=30, description="an indicator's code")
    value: Decimal = Amount


class FiguresIn(Schema):
    period: str = Field(max_length=7, pattern=MONTH_PATTERN, description="an ended month, YYYY-MM")
    source: SourceCode = Field(
        description="bureau, tax or import: a system's or an officer's figures; self: the "
        "enterprise's own monthly report (企业填报)"
    )
    rows: list[FigureRowIn] = Field(min_length=1, max_length=MAX_ROWS)
    confirmed: bool = Field(
        False, description="self: the figures far from the enterprise's history are meant"
    )
    note: str = Field("", max_length=200, description="self: the report's note")


class FiguresWritten(Schema):
    period: str
    source: str
    rows: int
    created: int = Field(description="values new to the record")
    revised: int = Field(description="values that replaced the source's earlier one")
    unchanged: int = Field(description="values equal to what the source had given")


def _refused(index: int | None, field: str, message: str) -> ValidationError:
    loc: tuple[Any, ...] = ("body", "payload", field)
    if index is not None:
        loc = ("body", "payload", "rows", index, field)
    return ValidationError([{"loc": loc, "msg": message, "type": "value_error"}])


def _period_of(text: str) -> Period:
    period = Period.of(int(text[:4]), int(text[5:7]))
    today = timezone.localdate()
    if period.year < YEAR_MIN or (period.year, period.month) >= (today.year, today.month):
        raise _refused(
            None,
            "period",
            _("Give a month that has ended, in %(min)s or later.") % {"min": YEAR_MIN},
        )
    return period


def _enterprises(
    user: User, rows: list[FigureRowIn], source: str
) -> tuple[list[Enterprise], dict[int, Enterprise], dict[str, list[Enterprise]]]:
    """The enterprises the rows name that the user may read (for the source's rule), by id
    and by credit code, with their zones."""
    rule = SELF_REPORT if source == Source.SELF.value else enterprise_access.ENTERPRISE
    readable = scope(user, Enterprise.objects.all(), rule, whole_reach=True).select_related(
        "zone", "national_industry"
    )
    ids = sorted({r.enterprise_id for r in rows if r.enterprise_id is not None})
    codes = sorted({r.uscc.strip() for r in rows if r.enterprise_id is None and r.uscc})
    found: list[Enterprise] = []
    for start in range(0, len(ids), KEYS_PER_QUERY):
        found += list(readable.filter(pk__in=ids[start : start + KEYS_PER_QUERY]))
    by_code: dict[str, list[Enterprise]] = defaultdict(list)
    for start in range(0, len(codes), KEYS_PER_QUERY):
        for enterprise in readable.filter(uscc__in=codes[start : start + KEYS_PER_QUERY]):
            by_code[enterprise.uscc].append(enterprise)
            found.append(enterprise)
    return found, {e.pk: e for e in found}, by_code


def _writable_ids(user: User, enterprises: list[Enterprise], source: str) -> set[int]:
    rule = SELF_REPORT if source == Source.SELF.value else enterprise_access.ENTERPRISE
    ids = sorted({e.pk for e in enterprises})
    writable: set[int] = set()
    for start in range(0, len(ids), KEYS_PER_QUERY):
        writable |= set(
            scope(user, Enterprise.objects.all(), rule, write=True, whole_reach=True)
            .filter(pk__in=ids[start : start + KEYS_PER_QUERY])
            .values_list("pk", flat=True)
        )
    return writable


@router.post(
    "/figures", response={200: FiguresWritten, **COMMON_ERRORS}, operation_id="figure_post"
)
def figure_post(request: HttpRequest, payload: FiguresIn) -> Any:
    """One month's figures of one source, all written or none: a row at fault is named
    (`rows.3.value`) and nothing is written. Values are in the indicator's unit (元, or
    people), a flow's the month's own value."""
    user: User = request.user  # type: ignore[assignment]
    source = payload.source
    if source in IMPORTED:
        require_roles(user, WRITERS)  # who may import a sheet
    # 企业填报: per enterprise, as the report's form: 404 outside the user's reach, 403 where
    # they may read the enterprise's months but not fill them (below).
    period = _period_of(payload.period)
    if source == Source.SELF.value:
        named = {(r.enterprise_id, (r.uscc or "").strip()) for r in payload.rows}
        if len(named) > MAX_SELF_REPORTS:
            raise _refused(
                None,
                "rows",
                _("Report at most %(n)d enterprises in one call.") % {"n": MAX_SELF_REPORTS},
            )
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    found, by_id, by_code = _enterprises(user, payload.rows, source)
    writable = _writable_ids(user, found, source)
    seen: set[tuple[int, int]] = set()
    chosen: list[tuple[Enterprise, Indicator, Decimal]] = []
    for index, row in enumerate(payload.rows):
        if (row.enterprise_id is None) == (not row.uscc):
            raise _refused(index, "enterprise_id", _("Give the enterprise's id or its uscc."))
        if row.enterprise_id is not None:
            enterprise = by_id.get(row.enterprise_id)
            field = "enterprise_id"
        else:
            matches = by_code.get((row.uscc or "").strip(), [])
            if len(matches) > 1:
                raise _refused(
                    index, "uscc", _("Several of your zones' enterprises have this code.")
                )
            enterprise = matches[0] if matches else None
            field = "uscc"
        if enterprise is None:
            return Status(
                404,
                {
                    "code": "not_found",
                    "message": _("Row %(row)d: not found, or not in your zones.")
                    % {"row": index + 1},
                    "field": f"rows.{index}.{field}",
                    "errors": [],
                },
            )
        if enterprise.pk not in writable:
            return Status(
                403,
                {
                    "code": "forbidden",
                    "message": _("Row %(row)d: your role may not do this.") % {"row": index + 1},
                    "field": f"rows.{index}.{field}",
                    "errors": [],
                },
            )
        indicator = indicators.get(row.indicator)
        if indicator is None:
            raise _refused(index, "indicator", _("No indicator has this code."))
        if source == Source.SELF.value and not (
            indicator.self_reported and (is_industrial(enterprise) or not indicator.industrial_only)
        ):
            raise _refused(
                index,
                "indicator",
                _("%(indicator)s is not asked of this enterprise.") % {"indicator": indicator},
            )
        if (enterprise.pk, indicator.pk) in seen:
            raise _refused(
                index, "indicator", _("The same enterprise and indicator are given twice.")
            )
        seen.add((enterprise.pk, indicator.pk))
        if row.value < 0 and not indicator.signed:
            raise _refused(
                index,
                "value",
                _("%(indicator)s cannot be negative.") % {"indicator": indicator.name},
            )
        if indicator.unit == Indicator.Unit.PERSON and row.value != row.value.to_integral_value():
            raise _refused(index, "value", _("Enter a whole number."))
        chosen.append((enterprise, indicator, row.value))
    total = _record(request, user, period, source, chosen, payload)
    return Status(
        200,
        {
            "period": period.key,
            "source": source,
            "rows": len(chosen),
            "created": total.created,
            "revised": total.revised,
            "unchanged": total.unchanged,
        },
    )


@transaction.atomic
def _record(
    request: HttpRequest,
    user: User,
    period: Period,
    source: str,
    chosen: list[tuple[Enterprise, Indicator, Decimal]],
    payload: FiguresIn,
) -> RecordResult:
    """Write as the pages write: a self-report per enterprise (self_report_record, the report
    page's service), or per zone one batch through figures_record (as a sheet import)."""
    total = RecordResult()
    if source == Source.SELF.value:
        per_enterprise: dict[int, dict[Indicator, Decimal]] = defaultdict(dict)
        enterprises: dict[int, Enterprise] = {}
        for enterprise, indicator, value in chosen:
            per_enterprise[enterprise.pk][indicator] = value
            enterprises[enterprise.pk] = enterprise
        for pk, values in per_enterprise.items():
            _report, recorded = self_report_record(
                enterprise=enterprises[pk],
                period=period,
                values=values,
                by=user,
                confirmed=payload.confirmed,
                note=payload.note,
            )
            _add(total, recorded)
        return total
    token = getattr(request, "api_token", None)
    name = via_token(None, token.name) if token is not None else ""
    per_zone: dict[int, list[tuple[Enterprise, Indicator, Decimal]]] = defaultdict(list)
    for item in chosen:
        per_zone[item[0].zone_id].append(item)
    for items in per_zone.values():
        zone = items[0][0].zone
        batch = ImportBatch.objects.create(
            zone=zone,
            source=source,
            year=period.year,
            month=period.month,
            first_month=period.first_month,
            file_name=name[:200],
            rows=len(items),
            created_by=user,
        )
        recorded = figures_record(
            zone=zone,
            values=[FigureInput(e.pk, i.pk, period, value) for e, i, value in items],
            source=source,
            by=user,
            batch=batch,
        )
        _add(total, recorded)
    return total


def _add(total: RecordResult, recorded: RecordResult) -> None:
    total.created += recorded.created
    total.revised += recorded.revised
    total.unchanged += recorded.unchanged
