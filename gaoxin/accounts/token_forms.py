"""The forms of the API token pages: a personal access token, and an administrator's service
token. They only read what was typed; every rule (at least one scope, an expiry after today
and within a year, zones of one's own, a department in the token's zones) is the service's
(accounts/tokens.py), whose refusal the page shows on the field it names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.accounts.tokens import (
    AREAS,
    DEFAULT_DAYS,
    MAX_DAYS,
    MAX_RATE,
    SERVICE_ROLES,
    scope_choices,
)
from gaoxin.core.access import user_zone_ids
from gaoxin.core.choices import DependentChoicesMixin, Follows
from gaoxin.core.forms import DateInput, choice_field, label_choices, model_choice


@dataclass(frozen=True)
class ScopeChoice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True)
class ScopeGroup:
    """One area's checkboxes (read; read and write where the API writes it), as the form
    template lays them out."""

    label: Any
    choices: list[ScopeChoice]


class TokenForm(forms.Form):
    """What every token has: a name, scopes, zones, an expiry and a rate."""

    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        error_messages={"required": _("Give the token a name that says what uses it.")},
        help_text=_("What uses the token, e.g. 'monthly report script'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        required=False,  # the service says "choose at least one"
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Read and write includes read."),
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"),
        queryset=Zone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("That zone is not one of yours.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    rate_per_minute = forms.IntegerField(
        label=_("Calls per minute"),
        required=False,
        min_value=1,
        max_value=MAX_RATE,
        help_text=_("Further calls in the same minute are refused (429) until it is over."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "expires_on": timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS),
                "rate_per_minute": 120,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        # The browser's date picker offers the days the service takes (it still checks them).
        today = timezone.localdate()
        self.fields["expires_on"].widget.attrs.update(
            {
                "min": (today + dt.timedelta(days=1)).isoformat(),
                "max": (today + dt.timedelta(days=MAX_DAYS)).isoformat(),
            }
        )
        choice_field(self, "scopes").choices = scope_choices()
        zones = model_choice(self, "zones")
        zones.queryset = Zone.objects.filter(pk__in=user_zone_ids(user)).order_by("code")
        label_choices(zones, lambda zone: zone.name)

    def scope_groups(self) -> list[ScopeGroup]:
        """The scopes' checkboxes grouped by area, checked as the form holds them."""
        field = self["scopes"]
        held = set(field.value() or [])
        labels = {"read": _("read"), "write": _("read and write")}
        groups = []
        for area in AREAS:
            modes = ("read", "write") if area.writable else ("read",)
            groups.append(
                ScopeGroup(
                    label=area.label,
                    choices=[
                        ScopeChoice(
                            value=f"{area.code}:{mode}",
                            label=str(labels[mode]),
                            checked=f"{area.code}:{mode}" in held,
                            id=f"{field.auto_id}_{area.code}_{mode}",
                        )
                        for mode in modes
                    ],
                )
            )
        return groups


class PersonalTokenForm(TokenForm):
    zones_help = _("None ticked: all your zones, as they are at each call.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zones"].help_text = self.zones_help


class ServiceTokenForm(DependentChoicesMixin, TokenForm):
    """An administrator's token for a system, acting as a service account in `role`. The
    department offered follows the zones ticked."""

    dependent_choices = (
        Follows(
            field="department",
            parent="zones",
            parent_of=lambda department: department.zone_id,
            message=_("The department is not in the token's zones."),
        ),
    )

    role = forms.ChoiceField(label=_("Acts as"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("For a department user only: whose approvals and blockers it reports."),
    )

    field_order = ["name", "role", "department", "zones", "scopes", "expires_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("The system, e.g. 'city statistics feed'.")
        self.fields["zones"].help_text = _("The zones the system works in (at least one).")
        choice_field(self, "role").choices = [("", _("Choose a role"))] + [
            (role.value, role.label) for role in SERVICE_ROLES
        ]
        department = model_choice(self, "department")
        department.queryset = Department.objects.filter(
            zone_id__in=user_zone_ids(self.user), is_active=True
        ).select_related("zone")
        label_choices(department, lambda d: f"{d.zone.name} · {d.name}")
