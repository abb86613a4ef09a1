"""Writes to application campaigns (申报批次) and applications. Each runs in one transaction;
django-simple-history records who changed what in the same transaction.

An application moves 拟申报 → 已提交 → 区级审核 → 推荐上报 → 认定通过, or to 未通过, by dated
changes. The enterprise's own users prepare and submit it; the zone's officers review it and
move it on. 认定通过 grants the campaign's designation in the same step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.campaigns.models import (
    APPLICATION_ORDER,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Campaign,
)
from gaoxin.campaigns.selectors import FINAL_STATUSES
from gaoxin.core.access import WRITERS, role_of
from gaoxin.core.concurrency import check_version, lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.history import save_recorded
from gaoxin.core.roles import Role
from gaoxin.core.text import clean
from gaoxin.enterprises.models import DesignationKind, Enterprise
from gaoxin.enterprises.services import designation_create

CAMPAIGN_FIELDS = (
    "name",
    "code",
    "policy",
    "designation_kind",
    "designation_level",
    "validity_years",
    "opens_on",
    "closes_on",
    "eligibility",
)
APPLICATION_FIELDS = ("contact_person", "contact_phone", "statement")


# --- campaigns -----------------------------------------------------------------------------


def _check_campaign(campaign: Campaign) -> None:
    from gaoxin.campaigns.award_services import check_code

    check_code(Campaign, campaign)
    campaign.name = clean(campaign.name)
    if not campaign.name:
        raise DomainError(_("The campaign needs a name."), field="name")
    if campaign.opens_on is None:
        raise DomainError(_("Give the day the campaign opens."), field="opens_on")
    if campaign.closes_on is None:
        raise DomainError(_("Give the day the campaign closes."), field="closes_on")
    if campaign.closes_on < campaign.opens_on:
        raise DomainError(_("The campaign cannot close before it opens."), field="closes_on")
    if campaign.policy is not None and campaign.policy.zone_id != campaign.zone_id:
        raise DomainError(_("A policy of another zone cannot be chosen."), field="policy")
    if campaign.designation_kind:
        if campaign.designation_kind not in DesignationKind.values:
            raise DomainError(_("Choose a designation from the list."), field="designation_kind")
        if not campaign.designation_level:
            raise DomainError(
                _("Give the level of the designation the campaign leads to."),
                field="designation_level",
            )
        if not campaign.validity_years or campaign.validity_years < 1:
            raise DomainError(
                _("A designation is valid for at least one year."), field="validity_years"
            )
    else:
        # No designation, no level: the level only describes a designation.
        campaign.designation_level = ""
    campaign.eligibility = (campaign.eligibility or "").strip()


@transaction.atomic
def campaign_create(*, zone: Zone, by: User, **fields: Any) -> Campaign:
    refuse_unknown_fields(fields, CAMPAIGN_FIELDS, "campaign")
    campaign = Campaign(zone=zone, **fields)
    _check_campaign(campaign)
    save_recorded(campaign, by)
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, by: User, version: int | None = None, **fields: Any
) -> Campaign:
    """Change a campaign; a form older than the stored campaign (`version`) is refused."""
    refuse_unknown_fields(fields, CAMPAIGN_FIELDS, "campaign")
    current = lock_for_write(campaign, version)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_campaign(current)
    first_submission = (
        ApplicationChange.objects.filter(
            application__campaign=current, to_status=ApplicationStatus.SUBMITTED
        )
        .order_by("on")
        .values_list("on", flat=True)
        .first()
    )
    last_submission = (
        ApplicationChange.objects.filter(
            application__campaign=current, to_status=ApplicationStatus.SUBMITTED
        )
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if first_submission is not None and current.opens_on > first_submission:
        raise DomainError(
            _("An application was submitted on %(day)s; the campaign must open by then.")
            % {"day": first_submission.isoformat()},
            field="opens_on",
        )
    if last_submission is not None and current.closes_on < last_submission:
        raise DomainError(
            _("An application was submitted on %(day)s; the campaign cannot close before it.")
            % {"day": last_submission.isoformat()},
            field="closes_on",
        )
    save_recorded(current, by)
    return current


# --- who may do what -----------------------------------------------------------------------


def _check_actor(
    by: User | None, enterprise_id: int, *, from_status: str = "", to_status: str = ""
) -> None:
    """Enterprise users work on their own enterprise's applications and only take them from
    拟申报 to 已提交; the review is the officers'. `by=None` is the system (the demo loader)."""
    if by is None:
        return
    role = role_of(by)
    if role == Role.ENTERPRISE:
        if by.enterprise_id != enterprise_id:
            raise DomainError(
                _("An enterprise account can only work on its own enterprise's applications.")
            )
        if to_status and to_status != ApplicationStatus.SUBMITTED:
            raise DomainError(
                _("An enterprise submits its application; the zone's officers review it.")
            )
        if to_status and from_status != ApplicationStatus.DRAFT:
            raise DomainError(_("The application was already submitted."))
    elif role not in WRITERS:
        raise DomainError(_("Only the zone's officers can work on applications."))


def _check_day(on: dt.date) -> None:
    if on > timezone.localdate():
        raise DomainError(_("A status change cannot be dated in the future."), field="on")


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("campaign", "enterprise")
        .get(pk=application.pk)
    )


def _record(
    application: Application,
    *,
    from_status: str,
    to_status: str,
    on: dt.date,
    by: User | None,
    note: str,
) -> ApplicationChange:
    change = ApplicationChange(
        application=application,
        from_status=from_status,
        to_status=to_status,
        on=on,
        by=by,
        note=note,
    )
    save_recorded(change, by)
    return change


# --- applications --------------------------------------------------------------------------


@transaction.atomic
def application_start(
    *,
    campaign: Campaign,
    enterprise: Enterprise,
    by: User | None,
    on: dt.date | None = None,
    contact_person: str = "",
    contact_phone: str = "",
    statement: str = "",
) -> Application:
    """拟申报: an enterprise starts preparing its application. One per enterprise per campaign.

    An enterprise user starts their own, while the campaign is open; an officer may start one
    for any enterprise of the campaign's zone, also dated back to record past work.
    """
    _check_actor(by, enterprise.pk)
    today = timezone.localdate()
    if by is not None and role_of(by) == Role.ENTERPRISE:
        on = today
        if not campaign.opens_on <= today <= campaign.closes_on:
            raise DomainError(
                _("This campaign takes applications from %(opens)s to %(closes)s.")
                % {"opens": campaign.opens_on.isoformat(), "closes": campaign.closes_on.isoformat()}
            )
    on = on or today
    _check_day(on)
    if on > campaign.closes_on:
        raise DomainError(
            _("The campaign closed on %(day)s; an application cannot be started after that.")
            % {"day": campaign.closes_on.isoformat()},
            field="on",
        )
    if enterprise.zone_id != campaign.zone_id:
        raise DomainError(
            _("%(name)s is not an enterprise of this campaign's zone.") % {"name": enterprise.name},
            field="enterprise",
        )
    if Application.objects.filter(campaign=campaign, enterprise=enterprise).exists():
        raise DomainError(
            _("%(name)s already has an application in this campaign.") % {"name": enterprise.name},
            field="enterprise",
        )
    application = Application(
        campaign=campaign,
        enterprise=enterprise,
        status=ApplicationStatus.DRAFT,
        status_on=on,
        contact_person=clean(contact_person) or enterprise.contact_person,
        contact_phone=clean(contact_phone) or enterprise.contact_phone,
        statement=(statement or "").strip(),
    )
    application._history_user = by
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Two people started the same application at once; the first one counts.
        raise DomainError(
            _("%(name)s already has an application in this campaign.") % {"name": enterprise.name},
            field="enterprise",
        ) from None
    _record(
        application,
        from_status="",
        to_status=ApplicationStatus.DRAFT,
        on=on,
        by=by,
        note="",
    )
    return application


@transaction.atomic
def application_update(
    *, application: Application, by: User, version: int | None = None, **fields: Any
) -> Application:
    """The enterprise's side of the application (contact and statement), while 拟申报. A form
    older than the stored application (`version`) is refused."""
    refuse_unknown_fields(fields, APPLICATION_FIELDS, "application")
    current = _locked(application)
    if version is not None:
        check_version(current, version)
    _check_actor(by, current.enterprise_id)
    if current.status != ApplicationStatus.DRAFT:
        raise DomainError(_("The application was submitted; it can no longer be changed."))
    for name, value in fields.items():
        setattr(current, name, (value or "").strip() if name == "statement" else clean(value))
    save_recorded(current, by)
    return current


def _position(status: str) -> int:
    return APPLICATION_ORDER.index(status) if status in APPLICATION_ORDER else -1


def move_choices(application: Application) -> list[tuple[str, str]]:
    """The statuses an officer may move the application to, the usual next one first."""
    status = application.status
    if status == ApplicationStatus.APPROVED:
        return []
    targets: list[ApplicationStatus]
    if status == ApplicationStatus.REJECTED:
        targets = [s for s in APPLICATION_ORDER if s != ApplicationStatus.APPROVED]
    elif status == ApplicationStatus.DRAFT:
        targets = [ApplicationStatus.SUBMITTED]
    else:
        after = [s for s in APPLICATION_ORDER if _position(s) > _position(status)]
        before = [s for s in APPLICATION_ORDER if _position(s) < _position(status)]
        targets = [*after, ApplicationStatus.REJECTED, *reversed(before)]
    return [(str(s), str(s.label)) for s in targets]


def needs_note(from_status: str, to_status: str) -> bool:
    """未通过, a skip forward, a move back and a reopening need the reason written down."""
    if to_status == ApplicationStatus.REJECTED or from_status == ApplicationStatus.REJECTED:
        return True
    return _position(to_status) != _position(from_status) + 1


def is_weighty(from_status: str, to_status: str) -> bool:
    """Moves that grant, refuse or undo: the page asks for a confirmation first."""
    return (
        to_status in FINAL_STATUSES
        or from_status == ApplicationStatus.REJECTED
        or _position(to_status) < _position(from_status)
    )


def designation_expires_on(granted_on: dt.date, years: int) -> dt.date:
    """The last day of a designation valid `years` years from `granted_on` (a 29 February
    grant runs to the last day of February)."""
    try:
        anniversary = granted_on.replace(year=granted_on.year + years)
    except ValueError:
        anniversary = dt.date(granted_on.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


def _check_move(
    current: Application,
    *,
    by: User | None,
    to_status: str,
    on: dt.date,
    note: str,
    from_status: str | None,
) -> None:
    """Every rule a move must pass; raises the first one broken."""
    _check_actor(by, current.enterprise_id, from_status=current.status, to_status=to_status)
    status = current.status
    if from_status and from_status != status:
        raise DomainError(
            _(
                "This application was moved to %(status)s after you opened it. Reload the "
                "page to see that change."
            )
            % {"status": current.get_status_display()}
        )
    if to_status not in ApplicationStatus.values:
        raise DomainError(_("Choose a status from the list."), field="to_status")
    if to_status == status:
        raise DomainError(_("The application is already at this status."), field="to_status")
    if status == ApplicationStatus.APPROVED:
        raise DomainError(
            _(
                "An approved application is final: its designation was granted. Revoke the "
                "designation on the enterprise's page if it must be withdrawn."
            ),
            field="to_status",
        )
    if to_status not in dict(move_choices(current)):
        if status == ApplicationStatus.DRAFT:
            message = _("An application is submitted before it is reviewed.")
        elif status == ApplicationStatus.REJECTED:
            message = _("A refused application is reopened at a review status, not approved.")
        else:
            message = _("An application cannot move from %(from)s to %(to)s.") % {
                "from": current.get_status_display(),
                "to": ApplicationStatus(to_status).label,
            }
        raise DomainError(message, field="to_status")
    _check_day(on)
    if by is not None and role_of(by) == Role.ENTERPRISE and on != timezone.localdate():
        raise DomainError(_("An application is submitted on the day itself."), field="on")
    if on < current.status_on:
        raise DomainError(
            _("The date cannot be before %(day)s, when the application entered %(status)s.")
            % {"day": current.status_on.isoformat(), "status": current.get_status_display()},
            field="on",
        )
    campaign = current.campaign
    if to_status == ApplicationStatus.SUBMITTED and status == ApplicationStatus.DRAFT:
        if not current.statement.strip():
            raise DomainError(
                _("Write the application statement before submitting."), field="statement"
            )
        if not campaign.opens_on <= on <= campaign.closes_on:
            raise DomainError(
                _("The campaign takes submissions from %(opens)s to %(closes)s.")
                % {
                    "opens": campaign.opens_on.isoformat(),
                    "closes": campaign.closes_on.isoformat(),
                },
                field="on",
            )
    if needs_note(status, to_status) and not note:
        if to_status == ApplicationStatus.REJECTED:
            message = _("Say why the application was not approved.")
        else:
            message = _("Skipping a status, moving back or reopening needs a reason.")
        raise DomainError(message, field="note")


def application_move_check(
    *,
    application: Application,
    by: User,
    to_status: str,
    on: dt.date,
    note: str = "",
    from_status: str | None = None,
    version: int | None = None,
) -> None:
    """Whether `application_move` would accept this move (a DomainError if not), writing
    nothing: the page asks to confirm only a move that will go through."""
    current = Application.objects.select_related("campaign").get(pk=application.pk)
    if version is not None:
        check_version(current, version)
    _check_move(
        current,
        by=by,
        to_status=to_status,
        on=on,
        note=(note or "").strip(),
        from_status=from_status,
    )


@transaction.atomic
def application_move(
    *,
    application: Application,
    by: User,
    to_status: str,
    on: dt.date,
    note: str = "",
    from_status: str | None = None,
    version: int | None = None,
) -> ApplicationChange:
    """Record the application entering `to_status` on `on`.

    `from_status` is the status the user saw; if somebody moved the application in between,
    the move is refused rather than applied to a status the user did not see; so is a move
    from a page older than the stored application (`version`). 认定通过 grants the campaign's
    designation (valid `validity_years` from the day) in the same transaction.
    """
    current = _locked(application)
    if version is not None:
        check_version(current, version)
    note = (note or "").strip()
    _check_move(current, by=by, to_status=to_status, on=on, note=note, from_status=from_status)
    status = current.status
    campaign = current.campaign
    if to_status == ApplicationStatus.APPROVED and campaign.designation_kind:
        designation = designation_create(
            enterprise=current.enterprise,
            kind=campaign.designation_kind,
            level=campaign.designation_level,
            granted_on=on,
            expires_on=designation_expires_on(on, campaign.validity_years),
            by=by,
        )
        current.designation = designation
    current.status = to_status
    current.status_on = on
    if note and role_of(by) != Role.ENTERPRISE:
        current.review_note = note
    save_recorded(current, by)
    return _record(current, from_status=status, to_status=to_status, on=on, by=by, note=note)


def application_submit(
    *, application: Application, by: User, on: dt.date | None = None
) -> ApplicationChange:
    """已提交: the enterprise (or an officer for it) hands the application in."""
    return application_move(
        application=application,
        by=by,
        to_status=ApplicationStatus.SUBMITTED,
        on=on or timezone.localdate(),
    )
