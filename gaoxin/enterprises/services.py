"""Writes to the enterprise registry. Each runs in one transaction; history rows are written
by django-simple-history in the same transaction, with the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.accounts.selectors import officers_of
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean, pinyin_initials
from gaoxin.enterprises.models import (
    Alliance,
    AllianceMembership,
    Designation,
    Enterprise,
    EnterpriseExit,
    ScaleSpell,
)
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.industries.models import ChainSegment, Industry, NationalIndustry
from gaoxin.industries.services import required_text, save_named

CONTACT_FIELDS = ("contact_person", "contact_phone", "contact_email", "address")
# What an officer edits of a profile. Today's 规上 flag and year and the status are not among
# them: they follow the dated spells and exits, changed only by scale_enter / scale_leave and
# enterprise_exit / enterprise_return (a new enterprise may be registered as 规上 since a year,
# which opens its first spell).
PROFILE_FIELDS = (
    "name",
    "short_name",
    "uscc",
    "legal_representative",
    "founded_on",
    "settled_on",
    "registered_capital",
    "employees",
    "address",
    "national_industry",
    "liaison_officer",
    "contact_person",
    "contact_phone",
    "contact_email",
    "description",
)
SCALE_FIELDS = ("is_above_scale", "above_scale_year")
NEW_FIELDS = (*PROFILE_FIELDS, *SCALE_FIELDS)


# Apps above the registry (the cultivation radars' follow-ups) hear of an enterprise's change
# of standing: listener(enterprise, event, on, detail) with event one of EVENTS, called inside
# the service's transaction. Registered in AppConfig.ready.
EVENTS = ("above_scale", "designated", "exited")
StandingListener = Callable[[Enterprise, str, dt.date, str], None]
_standing_listeners: list[StandingListener] = []


def register_standing_listener(listener: StandingListener) -> None:
    if listener not in _standing_listeners:
        _standing_listeners.append(listener)


def _announce(enterprise: Enterprise, event: str, on: dt.date, detail: str = "") -> None:
    for listener in _standing_listeners:
        listener(enterprise, event, on, detail)


def initials_for(name: str, short_name: str = "") -> str:
    """What pinyin search matches: the initials of the name, then of the short name, cut to
    what the column holds (a letter may lower-case to two characters, "İ" to "i̇": a name of
    the longest kind could otherwise outgrow it, which PostgreSQL refuses)."""
    initials = " ".join(p for p in (pinyin_initials(name), pinyin_initials(short_name)) if p)
    return initials[: Enterprise._meta.get_field("name_initials").max_length]


def _valid_uscc(uscc: str) -> str:
    try:
        return validate_uscc(uscc)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="uscc") from None


def _check_uscc_free(zone: Zone, code: str, *, exclude_pk: int | None = None) -> None:
    same_code = Enterprise.objects.filter(zone=zone, uscc=code)
    if exclude_pk is not None:
        same_code = same_code.exclude(pk=exclude_pk)
    clash = same_code.first()
    if clash is not None:
        raise DomainError(
            _("The code %(code)s already belongs to %(name)s in this zone.")
            % {"code": code, "name": clash.name},
            field="uscc",
        )


def _check_uscc(zone: Zone, uscc: str, *, exclude_pk: int | None = None) -> str:
    code = _valid_uscc(uscc)
    _check_uscc_free(zone, code, exclude_pk=exclude_pk)
    return code


def _check_scale(
    is_above_scale: bool, above_scale_year: int | None, *, today: dt.date | None = None
) -> None:
    if above_scale_year is not None and not is_above_scale:
        raise DomainError(
            _("A year it became 规上 is only for an enterprise that is 规上."),
            field="above_scale_year",
        )
    if above_scale_year is not None and above_scale_year > (today or timezone.localdate()).year:
        raise DomainError(
            _("The year it became 规上 cannot be in the future."), field="above_scale_year"
        )


def enterprise_build(
    *, zone: Zone, name: str, uscc: str, today: dt.date | None = None, **fields: Any
) -> Enterprise:
    """A new enterprise, checked and with its derived fields filled, not yet saved: what
    `enterprise_create` saves one at a time and the Excel import writes in batches. Whether
    its code is free in the zone is left to the caller (one query per enterprise there, one
    per file here)."""
    name = clean(name)
    if not name:
        raise DomainError(_("The enterprise name is required."), field="name")
    refuse_unknown_fields(fields, NEW_FIELDS, "enterprise")
    code = _valid_uscc(uscc)
    today = today or timezone.localdate()
    _check_scale(fields.get("is_above_scale", False), fields.get("above_scale_year"), today=today)
    fields.setdefault("settled_on", today)
    enterprise = Enterprise(zone=zone, name=name, uscc=code, **fields)
    enterprise.name_initials = initials_for(name, enterprise.short_name)
    return enterprise


def enterprise_chain(
    zone_id: int, industries: Iterable[Industry], segments: Iterable[ChainSegment]
) -> tuple[list[Industry], list[ChainSegment]]:
    """The industries and segments an enterprise is linked to: those chosen, each of the
    zone, and the industry of every segment chosen (a segment implies its industry)."""
    industries = list(industries)
    segments = list(segments)
    if any(i.zone_id != zone_id for i in industries):
        raise DomainError(_("An industry of another zone cannot be chosen."), field="industries")
    if any(s.industry.zone_id != zone_id for s in segments):
        raise DomainError(_("A segment of another zone cannot be chosen."), field="segments")
    wanted = {i.pk: i for i in industries} | {s.industry_id: s.industry for s in segments}
    return list(wanted.values()), segments


@transaction.atomic
def enterprise_create(
    *,
    zone: Zone,
    name: str,
    uscc: str,
    by: User | None = None,
    industries: Iterable[Industry] = (),
    segments: Iterable[ChainSegment] = (),
    **fields: Any,
) -> Enterprise:
    enterprise = enterprise_build(zone=zone, name=name, uscc=uscc, **fields)
    _check_uscc_free(zone, enterprise.uscc)
    _check_people(enterprise)
    save_recorded(enterprise, by)
    _set_chain(enterprise, industries, segments)
    spell = first_spell(enterprise)
    if spell is not None:
        save_recorded(spell, by)
    return enterprise


def first_spell(enterprise: Enterprise) -> ScaleSpell | None:
    """The 规上 spell of an enterprise registered as 规上 (saved, not yet spelled): entered on
    1 January of the year it became 规上, else on the day it settled. The enterprise import
    writes these in bulk, enterprise_create one at a time."""
    if not enterprise.is_above_scale:
        return None
    entered = (
        dt.date(enterprise.above_scale_year, 1, 1)
        if enterprise.above_scale_year
        else enterprise.settled_on or timezone.localdate()
    )
    return ScaleSpell(enterprise=enterprise, entered_on=entered, source=ScaleSpell.Source.MANUAL)


def _check_people(enterprise: Enterprise) -> None:
    """The liaison officer is one of the zone's staff; the class a division of GB/T 4754."""
    officer = enterprise.liaison_officer
    if (
        officer is not None
        and not liaison_candidates(enterprise.zone_id).filter(pk=officer.pk).exists()
    ):
        raise DomainError(
            _("The liaison officer must be an officer of the enterprise's zone."),
            field="liaison_officer",
        )
    national = enterprise.national_industry
    if national is not None and national.level != NationalIndustry.Level.DIVISION:
        raise DomainError(
            _("Choose a division (大类) of the national classification, not a section."),
            field="national_industry",
        )


def liaison_candidates(*zone_ids: int) -> QuerySet[User]:
    """Who may be an enterprise's 挂点联系人: the active officers of its zone (of any of the
    zones given)."""
    return officers_of(list(zone_ids))


def _set_chain(
    enterprise: Enterprise, industries: Iterable[Industry], segments: Iterable[ChainSegment]
) -> None:
    industries, segments = enterprise_chain(enterprise.zone_id, industries, segments)
    enterprise.industries.set(industries)
    enterprise.segments.set(segments)


@transaction.atomic
def enterprise_update(
    *,
    enterprise: Enterprise,
    by: User,
    industries: Iterable[Industry] | None = None,
    segments: Iterable[ChainSegment] | None = None,
    version: int | None = None,
    **fields: Any,
) -> Enterprise:
    """Change an enterprise's profile. `version` is the one the user's form was built from: a
    form older than the stored record is refused (None: a write from no form)."""
    refuse_unknown_fields(fields, PROFILE_FIELDS, "enterprise")
    enterprise = lock_for_write(enterprise, version)
    if "uscc" in fields:
        fields["uscc"] = _check_uscc(enterprise.zone, fields["uscc"], exclude_pk=enterprise.pk)
    if "name" in fields:
        fields["name"] = clean(fields["name"])
        if not fields["name"]:
            raise DomainError(_("The enterprise name is required."), field="name")
    for key, value in fields.items():
        setattr(enterprise, key, value)
    _check_people(enterprise)
    enterprise.name_initials = initials_for(enterprise.name, enterprise.short_name)
    save_recorded(enterprise, by)
    if industries is not None or segments is not None:
        _set_chain(
            enterprise,
            industries if industries is not None else enterprise.industries.all(),
            segments if segments is not None else enterprise.segments.all(),
        )
    return enterprise


@transaction.atomic
def enterprise_contact_update(
    *, enterprise: Enterprise, by: User, version: int | None = None, **fields: Any
) -> Enterprise:
    """What an enterprise user may change of their own enterprise: the contact fields."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise DomainError(_("Only the contact fields can be changed here."))
    enterprise = lock_for_write(enterprise, version)
    for key, value in fields.items():
        setattr(enterprise, key, clean(value) if key != "contact_email" else value.strip())
    save_recorded(enterprise, by)
    return enterprise


@transaction.atomic
def designation_create(
    *,
    enterprise: Enterprise,
    kind: str,
    level: str,
    granted_on: dt.date,
    expires_on: dt.date | None = None,
    certificate_no: str = "",
    by: User | None = None,
) -> Designation:
    if expires_on is not None and expires_on < granted_on:
        raise DomainError(
            _("A designation cannot expire before it was granted."), field="expires_on"
        )
    if granted_on > timezone.localdate():
        raise DomainError(_("The granted date cannot be in the future."), field="granted_on")
    designation = Designation(
        enterprise=enterprise,
        kind=kind,
        level=level,
        granted_on=granted_on,
        expires_on=expires_on,
        certificate_no=clean(certificate_no),
    )
    save_recorded(designation, by)
    _announce(enterprise, "designated", granted_on, kind)
    return designation


@transaction.atomic
def designation_revoke(
    *, designation: Designation, on: dt.date, by: User, reason: str, version: int | None = None
) -> Designation:
    """Revoke a designation from `on`; a form older than the stored one (`version`) is
    refused, so a second revocation cannot silently replace the first's day and reason."""
    designation = lock_for_write(designation, version)
    if on < designation.granted_on:
        raise DomainError(_("A designation cannot be revoked before it was granted."))
    designation.revoked_on = on
    save_recorded(designation, by, reason=reason)
    return designation


@transaction.atomic
def membership_add(
    *,
    alliance: Alliance,
    enterprise: Enterprise,
    role: str,
    joined_on: dt.date,
    by: User | None = None,
) -> AllianceMembership:
    if alliance.zone_id != enterprise.zone_id:
        raise DomainError(_("The enterprise and the alliance belong to different zones."))
    if AllianceMembership.objects.filter(
        alliance=alliance, enterprise=enterprise, left_on__isnull=True
    ).exists():
        raise DomainError(
            _("%(name)s is already a member of this alliance.") % {"name": enterprise.name}
        )
    membership = AllianceMembership(
        alliance=alliance, enterprise=enterprise, role=role, joined_on=joined_on
    )
    save_recorded(membership, by)
    return membership


@transaction.atomic
def membership_end(
    *, membership: AllianceMembership, on: dt.date, by: User, version: int | None = None
) -> AllianceMembership:
    """End a membership on `on`; a form older than the stored membership (`version`) is
    refused."""
    membership = lock_for_write(membership, version)
    if on < membership.joined_on:
        raise DomainError(_("A member cannot leave before it joined."))
    membership.left_on = on
    save_recorded(membership, by)
    return membership


def as_decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- industry alliances ------------------------------------------------------------------


def _check_alliance_industry(zone_id: int, industry: Industry | None) -> None:
    if industry is not None and industry.zone_id != zone_id:
        raise DomainError(_("An industry of another zone cannot be chosen."), field="industry")


@transaction.atomic
def alliance_create(
    *,
    zone: Zone,
    name: str,
    by: User,
    industry: Industry | None = None,
    founded_on: dt.date | None = None,
    description: str = "",
) -> Alliance:
    _check_alliance_industry(zone.pk, industry)
    alliance = Alliance(
        zone=zone,
        name=required_text(name, "name", _("The name is required.")),
        industry=industry,
        founded_on=founded_on,
        description=description.strip(),
    )
    save_named(alliance, by=by, clash=_("This zone already has an alliance of that name."))
    return alliance


@transaction.atomic
def alliance_update(
    *,
    alliance: Alliance,
    name: str,
    by: User,
    industry: Industry | None = None,
    founded_on: dt.date | None = None,
    description: str = "",
    version: int | None = None,
) -> Alliance:
    alliance = lock_for_write(alliance, version)
    _check_alliance_industry(alliance.zone_id, industry)
    alliance.name = required_text(name, "name", _("The name is required."))
    alliance.industry = industry
    alliance.founded_on = founded_on
    alliance.description = description.strip()
    save_named(alliance, by=by, clash=_("This zone already has an alliance of that name."))
    return alliance


# --- standing in the zone and in the 规上 directory, dated ---------------------------------


@transaction.atomic
def enterprise_exit(
    *, enterprise: Enterprise, kind: str, on: dt.date, by: User | None, note: str = ""
) -> EnterpriseExit:
    """The enterprise leaves the zone (迁出 or 注销) on a day: an exit is opened, and today's
    status follows. Figures as of an earlier day still count it."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if kind not in EnterpriseExit.Kind.values:
        raise DomainError(_("Choose whether the enterprise moved out or closed."), field="kind")
    if enterprise.exits.filter(returned_on__isnull=True).exists():
        raise DomainError(_("The enterprise has already left the zone."))
    if on > timezone.localdate():
        raise DomainError(_("The day it left cannot be in the future."), field="left_on")
    if enterprise.settled_on is not None and on < enterprise.settled_on:
        raise DomainError(
            _("The day it left cannot be before it settled in the zone (%(day)s).")
            % {"day": enterprise.settled_on},
            field="left_on",
        )
    last = enterprise.exits.order_by("-returned_on").first()
    if last is not None and last.returned_on is not None and on < last.returned_on:
        raise DomainError(
            _("The day it left cannot be before it last came back (%(day)s).")
            % {"day": last.returned_on},
            field="left_on",
        )
    exit_ = EnterpriseExit(enterprise=enterprise, kind=kind, left_on=on, note=clean(note))
    save_recorded(exit_, by)
    enterprise.status = kind
    save_recorded(enterprise, by)
    _announce(enterprise, "exited", on, kind)
    return exit_


@transaction.atomic
def enterprise_return(*, enterprise: Enterprise, on: dt.date, by: User | None) -> EnterpriseExit:
    """The enterprise comes back into the zone on a day (re-entry): its open exit is closed."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    exit_ = enterprise.exits.filter(returned_on__isnull=True).first()
    if exit_ is None:
        raise DomainError(_("The enterprise has not left the zone."))
    if on <= exit_.left_on:
        raise DomainError(
            _("The day it came back must be after the day it left (%(day)s).")
            % {"day": exit_.left_on},
            field="returned_on",
        )
    if on > timezone.localdate():
        raise DomainError(_("The day it came back cannot be in the future."), field="returned_on")
    exit_.returned_on = on
    save_recorded(exit_, by)
    enterprise.status = Enterprise.Status.ACTIVE
    save_recorded(enterprise, by)
    return exit_


@transaction.atomic
def scale_enter(
    *,
    enterprise: Enterprise,
    on: dt.date,
    by: User | None,
    source: str = ScaleSpell.Source.MANUAL,
) -> ScaleSpell:
    """入统: the enterprise enters the 规上 directory on a day. Today's flag and year follow."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.scale_spells.filter(left_on__isnull=True).exists():
        raise DomainError(_("The enterprise is already 规上."))
    if on > timezone.localdate():
        raise DomainError(_("The day it entered cannot be in the future."), field="entered_on")
    last = enterprise.scale_spells.order_by("-left_on").first()
    if last is not None and last.left_on is not None and on < last.left_on:
        raise DomainError(
            _("It cannot enter the directory before it last left it (%(day)s).")
            % {"day": last.left_on},
            field="entered_on",
        )
    spell = ScaleSpell(enterprise=enterprise, entered_on=on, source=source)
    save_recorded(spell, by)
    enterprise.is_above_scale = True
    enterprise.above_scale_year = on.year
    save_recorded(enterprise, by)
    _announce(enterprise, "above_scale", on, source)
    return spell


@transaction.atomic
def scale_leave(*, enterprise: Enterprise, on: dt.date, by: User | None) -> ScaleSpell:
    """退库: the enterprise leaves the 规上 directory on a day."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    spell = enterprise.scale_spells.filter(left_on__isnull=True).first()
    if spell is None:
        raise DomainError(_("The enterprise is not 规上."))
    if on <= spell.entered_on:
        raise DomainError(
            _("It must leave the directory after it entered it (%(day)s).")
            % {"day": spell.entered_on},
            field="left_on",
        )
    if on > timezone.localdate():
        raise DomainError(_("The day it left cannot be in the future."), field="left_on")
    spell.left_on = on
    save_recorded(spell, by)
    enterprise.is_above_scale = False
    enterprise.above_scale_year = None
    save_recorded(enterprise, by)
    return spell
