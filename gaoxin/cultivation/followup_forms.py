"""Forms of the follow-up pages. They parse input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.accounts.selectors import assignable_users
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import DateInput, choice_field, label_choices, model_choice, search_field
from gaoxin.core.ids import IdField
from gaoxin.cultivation import radars
from gaoxin.cultivation.followup_selectors import FOLLOWUP_SORTS
from gaoxin.cultivation.followups import MINUTES_MAX, VisitInput
from gaoxin.cultivation.models import FollowupReason, FollowupVisit

DATE: dict[str, Any] = {"widget": DateInput()}
MINE = "mine"


def _staff_label(user: User) -> str:
    return user.display_name


class FollowupFilterForm(forms.Form):
    q = search_field(_("Enterprise name or credit code"))
    radar = forms.ChoiceField(label=_("Radar"), required=False)
    officer = forms.ChoiceField(label=_("Officer"), required=False)
    state = forms.ChoiceField(
        label=_("Follow-up state"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Following")),
            ("overdue", _("Open, past the target date")),
            ("closed", _("Ended")),
        ],
    )
    reason = forms.ChoiceField(
        label=_("Closed because"),
        required=False,
        choices=[("", _("Any")), *FollowupReason.choices],
    )
    enterprise = IdField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in FOLLOWUP_SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "radar").choices = [
            ("", _("All radars")),
            *((r.key, r.label) for r in radars.all_radars()),
        ]
        choice_field(self, "officer").choices = [
            ("", _("Anyone")),
            (MINE, _("Mine")),
            *(
                (str(u.pk), u.display_name)
                for u in assignable_users(zone_ids).only("pk", "name", "username")
            ),
        ]

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        officer = data.get("officer") or ""
        return {
            "q": data.get("q") or "",
            "radar": data.get("radar") or "",
            "mine": officer == MINE,
            "officer": int(officer) if officer.isdigit() else None,
            "state": data.get("state") or "",
            "reason": data.get("reason") or "",
            "enterprise": data.get("enterprise"),
            "sort": data.get("sort") or "target",
        }


class VisitFields(forms.Form):
    """A service record: its kind, day and what was found and agreed."""

    visit_kind = forms.ChoiceField(
        label=_("Service record"), choices=FollowupVisit.Kind.choices, initial="visit"
    )
    visit_held_on = forms.DateField(label=_("Held on"), **DATE)
    visit_minutes = forms.CharField(
        label=_("What was found and agreed"),
        max_length=MINUTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def visit(self) -> VisitInput:
        data = self.cleaned_data
        return VisitInput(data["visit_kind"], data["visit_held_on"], data["visit_minutes"])


class FollowupStartForm(VisitFields):
    """纳入跟踪 in one step: the radar, the officer, the target date and the first record."""

    radar = forms.ChoiceField(label=_("Radar"))
    officer: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Officer following it"), queryset=None
    )
    target_on = forms.DateField(
        label=_("Target date"),
        help_text=_("By when the enterprise should be over the line."),
        **DATE,
    )

    field_order = ["radar", "officer", "target_on", "visit_kind", "visit_held_on", "visit_minutes"]

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visit_held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        choice_field(self, "radar").choices = [
            (r.key, r.label) for r in radars.all_radars() if r.followed
        ]
        officer = model_choice(self, "officer")
        officer.queryset = assignable_users([zone_id])
        label_choices(officer, _staff_label)


class VisitForm(VisitFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visit_held_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class FollowupCloseForm(VersionedFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Closed because"), choices=FollowupReason.choices, initial=FollowupReason.OFFICER
    )
    on = forms.DateField(label=_("Closed on"), **DATE)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Required when an officer ends it: why."),
    )
