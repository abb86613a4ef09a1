"""Writes to award batches (奖励资金批次) and their awards. Each runs in one transaction;
django-simple-history records who changed what in the same transaction.

An award goes 拟奖励 → 公示 → 已拨付. Its amount is exact yuan and above zero; an enterprise is
awarded once per reason in a batch; an award is paid after its public announcement, on a day
that is not in the future.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.campaigns.models import Award, AwardBatch, AwardStatus
from gaoxin.core.bounds import MONEY_MAX
from gaoxin.core.concurrency import check_version, lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.formatting import money
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.enterprises.models import Designation, Enterprise
from gaoxin.policies.models import Policy

BATCH_FIELDS = ("name", "policy", "notes")


# --- batches -------------------------------------------------------------------------------


def check_code(model: Any, record: Any) -> None:
    """A campaign's or batch's code names its figures: unique in the zone when given."""
    if record.code and (
        model.objects.filter(zone_id=record.zone_id, code=record.code)
        .exclude(pk=record.pk)
        .exists()
    ):
        raise DomainError(
            _("The zone already uses the code %(code)s.") % {"code": record.code}, field="code"
        )


def _check_batch(batch: AwardBatch) -> None:
    check_code(AwardBatch, batch)
    batch.name = clean(batch.name)
    if not batch.name:
        raise DomainError(_("The award batch needs a name."), field="name")
    if batch.policy is not None and batch.policy.zone_id != batch.zone_id:
        raise DomainError(_("A policy of another zone cannot be chosen."), field="policy")
    batch.notes = (batch.notes or "").strip()


@transaction.atomic
def award_batch_create(
    *,
    zone: Zone,
    by: User,
    name: str,
    policy: Policy | None = None,
    notes: str = "",
    code: str = "",
) -> AwardBatch:
    batch = AwardBatch(zone=zone, name=name, policy=policy, notes=notes, code=code)
    _check_batch(batch)
    save_recorded(batch, by)
    return batch


@transaction.atomic
def award_batch_update(
    *, batch: AwardBatch, by: User, version: int | None = None, **fields: Any
) -> AwardBatch:
    """Change a batch's name, policy or notes; a form older than the stored batch
    (`version`) is refused."""
    refuse_unknown_fields(fields, BATCH_FIELDS, "award batch")
    current = lock_for_write(batch, version)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_batch(current)
    save_recorded(current, by)
    return current


def _check_day(on: dt.date | None, future_message: str) -> dt.date:
    if on is None:
        raise DomainError(_("Give the date."), field="on")
    if on > timezone.localdate():
        raise DomainError(future_message, field="on")
    return on


@transaction.atomic
def award_batch_announce(*, batch: AwardBatch, by: User, on: dt.date) -> int:
    """公示: the batch's list is published on `on`; every proposed award is announced with it.
    Returns how many awards were announced."""
    _check_day(on, _("An announcement cannot be dated in the future."))
    current = AwardBatch.objects.select_for_update().get(pk=batch.pk)
    proposed = list(current.awards.select_for_update().filter(status=AwardStatus.PROPOSED))
    if not proposed:
        raise DomainError(_("No proposed award is waiting for announcement in this batch."))
    if current.announced_on is None or on < current.announced_on:
        current.announced_on = on
        save_recorded(current, by)
    for award in proposed:
        award.status = AwardStatus.ANNOUNCED
        save_recorded(award, by)
    return len(proposed)


# --- awards --------------------------------------------------------------------------------


def _as_amount(amount: Any) -> Decimal:
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter the amount in yuan, e.g. 500000."), field="amount") from None
    if not value.is_finite():
        raise DomainError(_("Enter the amount in yuan, e.g. 500000."), field="amount")
    if value <= 0:
        raise DomainError(_("An award must be more than 0 yuan."), field="amount")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("An amount is exact to the fen (two decimals)."), field="amount")
    if value > MONEY_MAX:
        raise DomainError(_("The amount is too large."), field="amount")
    return value


def reason_for(designation: Designation) -> str:
    """The reason an award for a designation carries when none is typed: in Chinese whatever
    the officer's language, since it goes onto the published 公示 list."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return f"{designation.get_kind_display()}（{designation.granted_on:%Y}年）"


@transaction.atomic
def award_add(
    *,
    batch: AwardBatch,
    enterprise: Enterprise,
    amount: Any,
    by: User,
    reason: str = "",
    designation: Designation | None = None,
) -> Award:
    """拟奖励: an award to an enterprise for a reason (a designation or a policy clause)."""
    value = _as_amount(amount)
    if enterprise.zone_id != batch.zone_id:
        raise DomainError(
            _("%(name)s is not an enterprise of this batch's zone.") % {"name": enterprise.name},
            field="enterprise",
        )
    if designation is not None and designation.enterprise_id != enterprise.pk:
        raise DomainError(_("The designation belongs to another enterprise."), field="designation")
    reason = clean(reason)
    if not reason and designation is not None:
        reason = reason_for(designation)
    if not reason:
        raise DomainError(
            _("Give the reason: the designation or the policy clause the award is for."),
            field="reason",
        )
    same = Award.objects.filter(batch=batch, enterprise=enterprise).exclude(
        status=AwardStatus.WITHDRAWN
    )
    clash = same.filter(reason=reason).first()
    if clash is None and designation is not None:
        clash = same.filter(designation=designation).first()
    if clash is not None:
        raise DomainError(
            _("%(name)s is already awarded %(amount)s for “%(reason)s” in this batch.")
            % {"name": enterprise.name, "amount": money(clash.amount), "reason": clash.reason},
            field="reason",
        )
    award = Award(
        batch=batch,
        enterprise=enterprise,
        amount=value,
        reason=reason,
        designation=designation,
        status=AwardStatus.PROPOSED,
    )
    award._history_user = by
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already awarded for “%(reason)s” in this batch.")
            % {"name": enterprise.name, "reason": reason},
            field="reason",
        ) from None
    return award


def _locked(award: Award, version: int | None = None) -> Award:
    """The stored award, locked; refused if a form built from it (`version`) is stale."""
    current = Award.objects.select_for_update().select_related("batch").get(pk=award.pk)
    if version is not None:
        check_version(current, version)
    return current


@transaction.atomic
def award_announce(*, award: Award, by: User, on: dt.date, version: int | None = None) -> Award:
    """公示 for one award (one added after its batch's list was published)."""
    _check_day(on, _("An announcement cannot be dated in the future."))
    current = _locked(award, version)
    if current.status != AwardStatus.PROPOSED:
        raise DomainError(
            _("This award is already %(status)s.") % {"status": current.get_status_display()}
        )
    batch = current.batch
    if batch.announced_on is None:
        batch.announced_on = on
        save_recorded(batch, by)
    current.status = AwardStatus.ANNOUNCED
    save_recorded(current, by)
    return current


@transaction.atomic
def award_pay(*, award: Award, by: User, on: dt.date, version: int | None = None) -> Award:
    """已拨付: the money reached the enterprise on `on`. Paid once, after 公示."""
    _check_day(on, _("A payment cannot be dated in the future."))
    current = _locked(award, version)
    if current.status == AwardStatus.PAID:
        raise DomainError(_("This award was already paid on %(day)s.") % {"day": current.paid_on})
    if current.status != AwardStatus.ANNOUNCED:
        raise DomainError(_("An award is paid after its public announcement (公示)."))
    announced_on = current.batch.announced_on
    if announced_on is not None and on < announced_on:
        raise DomainError(
            _("The payment cannot be dated before the announcement on %(day)s.")
            % {"day": announced_on.isoformat()},
            field="on",
        )
    current.status = AwardStatus.PAID
    current.paid_on = on
    save_recorded(current, by)
    return current


@transaction.atomic
def award_correct(
    *, award: Award, by: User, amount: Any, reason: str, version: int | None = None
) -> Award:
    """Correct the amount or the reason of an award not yet publicly announced."""
    current = _locked(award, version)
    if current.status != AwardStatus.PROPOSED:
        raise DomainError(
            _("Only a proposed award (拟奖励) can be corrected; withdraw it and add it again."),
            field="amount",
        )
    value = _as_amount(amount)
    reason = clean(reason)
    if not reason:
        raise DomainError(
            _("Give the reason: the designation or the policy clause the award is for."),
            field="reason",
        )
    clash = (
        Award.objects.filter(batch=current.batch, enterprise=current.enterprise, reason=reason)
        .exclude(pk=current.pk)
        .exclude(status=AwardStatus.WITHDRAWN)
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("%(name)s is already awarded %(amount)s for “%(reason)s” in this batch.")
            % {"name": current.enterprise.name, "amount": money(clash.amount), "reason": reason},
            field="reason",
        )
    current.amount = value
    current.reason = reason
    save_recorded(current, by)
    return current


@transaction.atomic
def award_withdraw(*, award: Award, by: User, note: str, version: int | None = None) -> Award:
    """Withdraw an award that has not been paid (a wrong enterprise, a reason that does not
    hold); it stays in the records and the history with why."""
    current = _locked(award, version)
    if current.status == AwardStatus.PAID:
        raise DomainError(_("A paid award cannot be withdrawn."), field="note")
    if current.status == AwardStatus.WITHDRAWN:
        raise DomainError(_("The award is already withdrawn."), field="note")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the award is withdrawn."), field="note")
    current.status = AwardStatus.WITHDRAWN
    save_recorded(current, by, reason=note)
    return current
