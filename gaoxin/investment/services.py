"""Writes to the investment leads (招商线索). Each runs in one transaction; django-simple-history
writes the history row in the same transaction, with the acting user.

Status moves freely among the open statuses (线索 → 接洽 → 考察 → 洽谈, and back); a lead is
abandoned (放弃) with a reason and may be reopened; it is signed (签约) only by turning it into a
project, which the projects app does through `lead_mark_signed`. A signed lead keeps its status
for good."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.accounts.selectors import is_officer_of
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.investment.models import OPEN_STATUSES, Lead, LeadContact, LeadSource, LeadStatus

EDITABLE_FIELDS = (
    "company_name",
    "uscc",
    "industry",
    "segment",
    "source",
    "officer",
    "expected_investment",
    "contact_person",
    "contact_phone",
    "description",
)
REASON_MAX = cast(int, Lead._meta.get_field("abandon_reason").max_length)  # a CharField's


def _status_label(status: str) -> str:
    return str(LeadStatus(status).label)


# --- checks shared by create and update ----------------------------------------------------


def _check_company(name: str) -> str:
    name = clean(name)
    if not name:
        raise DomainError(_("The target company's name is required."), field="company_name")
    return name


def _check_uscc(zone: Zone, uscc: str, *, exclude_pk: int | None = None) -> str:
    """The cleaned code, or "" when none is known. Two open leads on one company would have
    two officers chasing it, so a code already on an open lead of the zone is refused."""
    if not clean(uscc):
        return ""
    try:
        code = validate_uscc(uscc)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="uscc") from None
    open_with_code = Lead.objects.filter(zone=zone, uscc=code, status__in=OPEN_STATUSES)
    if exclude_pk is not None:
        open_with_code = open_with_code.exclude(pk=exclude_pk)
    clash = open_with_code.only("company_name").first()
    if clash is not None:
        raise DomainError(
            _("The code %(code)s is already on the open lead %(name)s.")
            % {"code": code, "name": clash.company_name},
            field="uscc",
        )
    return code


def _check_source(source: str) -> str:
    if source not in LeadSource.values:
        raise DomainError(_("Choose where the lead came from."), field="source")
    return source


def _check_chain(
    zone: Zone, industry: Industry | None, segment: ChainSegment | None
) -> Industry | None:
    """The industry of the lead: the one given, or the segment's. Both must be the zone's,
    and the segment must be a link of that industry's chain."""
    if segment is not None:
        if industry is None:
            industry = segment.industry
        elif segment.industry_id != industry.pk:
            raise DomainError(
                _("The segment %(segment)s is not a link of the %(industry)s chain.")
                % {"segment": segment.name, "industry": industry.name},
                field="segment",
            )
    if industry is not None and industry.zone_id != zone.pk:
        raise DomainError(_("An industry of another zone cannot be chosen."), field="industry")
    return industry


def _check_officer(zone: Zone, officer: User) -> Any:
    if officer is None:
        raise DomainError(_("Choose the officer who follows the lead."), field="officer")
    if not is_officer_of(officer, zone.pk):
        raise DomainError(
            _("%(name)s is not an officer of %(zone)s.") % {"name": officer, "zone": zone.name},
            field="officer",
        )
    return officer


def _check_investment(amount: Any) -> Decimal | None:
    if amount in (None, ""):
        return None
    value = Decimal(str(amount))
    if value < 0:
        raise DomainError(
            _("The expected investment cannot be negative."), field="expected_investment"
        )
    return value


# --- leads ---------------------------------------------------------------------------------


@transaction.atomic
def lead_create(
    *,
    zone: Zone,
    by: User,
    company_name: str,
    source: str,
    officer: User,
    uscc: str = "",
    industry: Industry | None = None,
    segment: ChainSegment | None = None,
    expected_investment: Decimal | None = None,
    contact_person: str = "",
    contact_phone: str = "",
    description: str = "",
    found_on: dt.date | None = None,
) -> Lead:
    """A new lead. `found_on` is the day it was first spotted, for a lead carried over from
    the zone's earlier spreadsheets (today if left out); the 60-day idle clock starts there."""
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        raise DomainError(_("A lead cannot be found in the future."), field="found_on")
    lead = Lead(
        zone=zone,
        company_name=_check_company(company_name),
        uscc=_check_uscc(zone, uscc),
        industry=_check_chain(zone, industry, segment),
        segment=segment,
        source=_check_source(source),
        officer=_check_officer(zone, officer),
        status=LeadStatus.NEW,
        expected_investment=_check_investment(expected_investment),
        contact_person=clean(contact_person),
        contact_phone=clean(contact_phone),
        description=(description or "").strip(),
        last_activity_on=found_on,
    )
    save_recorded(lead, by)
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, by: User, version: int | None = None, **fields: Any) -> Lead:
    """Change what is known of a lead. Its status is changed with `lead_set_status` (and a
    signed or abandoned lead's status not at all here); passing one that differs from the
    current status is refused. A form older than the stored lead (`version`) is refused."""
    lead = lock_for_write(lead, version)
    if "status" in fields:
        status = fields.pop("status")
        if status != lead.status:
            if lead.status == LeadStatus.SIGNED:
                raise DomainError(_("A signed lead cannot change status."), field="status")
            if lead.status == LeadStatus.ABANDONED:
                raise DomainError(
                    _("An abandoned lead is reopened with the status form."), field="status"
                )
            raise DomainError(_("Change the status with the status form."), field="status")
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "lead")
    zone = lead.zone
    if "company_name" in fields:
        fields["company_name"] = _check_company(fields["company_name"])
    if "uscc" in fields:
        fields["uscc"] = _check_uscc(zone, fields["uscc"], exclude_pk=lead.pk)
    if "source" in fields:
        _check_source(fields["source"])
    if "officer" in fields:
        _check_officer(zone, fields["officer"])
    if "expected_investment" in fields:
        fields["expected_investment"] = _check_investment(fields["expected_investment"])
    for key in ("contact_person", "contact_phone"):
        if key in fields:
            fields[key] = clean(fields[key])
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "industry" in fields or "segment" in fields:
        segment = fields.get("segment", lead.segment)
        industry = fields.get("industry", lead.industry)
        if "industry" in fields and "segment" not in fields and segment is not None:
            # A new industry without a segment named: keep the segment only if it still fits.
            segment = (
                segment if industry is not None and segment.industry_id == industry.pk else None
            )
        fields["industry"] = _check_chain(zone, industry, segment)
        fields["segment"] = segment
    for key, value in fields.items():
        setattr(lead, key, value)
    save_recorded(lead, by)
    return lead


@transaction.atomic
def lead_set_status(
    *, lead: Lead, by: User, status: str, reason: str = "", version: int | None = None
) -> Lead:
    """Move a lead among the open statuses, abandon it (with a reason), or reopen it."""
    lead = lock_for_write(lead, version)
    if status not in LeadStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    if lead.status == LeadStatus.SIGNED:
        raise DomainError(_("A signed lead cannot change status."), field="status")
    if status == LeadStatus.SIGNED:
        raise DomainError(
            _("A lead is signed by turning it into a project, not by changing its status."),
            field="status",
        )
    if status == lead.status:
        raise DomainError(
            _("The lead is already at “%(status)s”.") % {"status": _status_label(status)},
            field="status",
        )
    if status == LeadStatus.ABANDONED:
        reason = clean(reason)
        if not reason:
            raise DomainError(_("Say why the lead is abandoned."), field="reason")
        if len(reason) > REASON_MAX:
            raise DomainError(
                _("Keep the reason within %(n)d characters.") % {"n": REASON_MAX},
                field="reason",
            )
        lead.abandon_reason = reason
    else:
        lead.abandon_reason = ""  # reopening an abandoned lead clears why it was given up
    lead.status = status
    save_recorded(lead, by)
    return lead


@transaction.atomic
def lead_mark_signed(*, lead: Lead, by: User) -> Lead:
    """签约: called by the projects app in the transaction that makes the lead a project."""
    if lead.status == LeadStatus.SIGNED:
        raise DomainError(_("The lead %(name)s is already signed.") % {"name": lead.company_name})
    if lead.status == LeadStatus.ABANDONED:
        raise DomainError(
            _("The lead %(name)s was abandoned; reopen it before signing.")
            % {"name": lead.company_name}
        )
    lead.status = LeadStatus.SIGNED
    save_recorded(lead, by)
    return lead


# --- contacts ------------------------------------------------------------------------------


@transaction.atomic
def contact_add(*, lead: Lead, by: User, kind: str, on: dt.date, notes: str) -> LeadContact:
    """Record a visit, inspection, negotiation or call. It keeps the lead's last activity
    current, and the first contact with a new lead puts it 接洽. On a signed or abandoned lead
    the contact is kept for the record and the status stays as it is."""
    if kind not in LeadContact.Kind.values:
        raise DomainError(_("Choose the kind of contact."), field="kind")
    if on is None:
        raise DomainError(_("Give the date of the contact."), field="on")
    if on > timezone.localdate():
        raise DomainError(_("A contact cannot be dated in the future."), field="on")
    notes = (notes or "").strip()
    if not notes:
        raise DomainError(_("Write down what was discussed."), field="notes")
    contact = LeadContact(lead=lead, kind=kind, on=on, by=by, notes=notes)
    save_recorded(contact, by)
    changed = False
    if on > lead.last_activity_on:
        lead.last_activity_on = on
        changed = True
    if lead.status == LeadStatus.NEW:
        lead.status = LeadStatus.CONTACTED
        changed = True
    if changed:
        save_recorded(lead, by)
    return contact
