"""项目调度: each month, a project under way reports the investment completed (月度完成投资),
the funds in place (到位资金) and a line of progress — by its enterprise's users or its
officer. One report per project and month; a correction keeps the earlier one in history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.core.bounds import MONEY_MAX
from gaoxin.core.errors import DomainError
from gaoxin.core.text import clean
from gaoxin.economy.models import ProjectDispatch
from gaoxin.economy.periods import Period
from gaoxin.projects.models import Project


@transaction.atomic
def dispatch_report(
    *,
    project: Project,
    period: Period,
    investment_completed: Decimal,
    funds_in_place: Decimal,
    progress: str,
    by: User | None,
    at: dt.datetime | None = None,
) -> ProjectDispatch:
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    if period.is_combined:
        raise DomainError(_("Report one month at a time."))
    if (period.year, period.month) > (today.year, today.month):
        raise DomainError(_("%(period)s has not begun yet.") % {"period": period.label})
    for field, amount in (
        ("investment_completed", investment_completed),
        ("funds_in_place", funds_in_place),
    ):
        if amount < 0 or amount > MONEY_MAX:
            raise DomainError(_("Enter an amount from 0 up to a trillion yuan."), field=field)
    dispatch = (
        ProjectDispatch.objects.select_for_update()
        .filter(project=project, year=period.year, month=period.month)
        .first()
    )
    if dispatch is None:
        dispatch = ProjectDispatch(project=project, year=period.year, month=period.month)
    dispatch.investment_completed = investment_completed
    dispatch.funds_in_place = funds_in_place
    dispatch.progress = clean(progress)
    dispatch.reported_at = at
    dispatch.reported_by = by
    dispatch._history_user = by
    dispatch.save()
    return dispatch
