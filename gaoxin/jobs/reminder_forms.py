"""The reminders page's filter and the form where a user picks the kinds they get."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.jobs import reminder_selectors


class NoticeFilterForm(forms.Form):
    SHOW_CHOICES = (("unread", _("Unread")), ("all", _("All")))

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = list(reminder_selectors.kind_labels().items())
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]

    def search_arguments(self) -> dict[str, Any]:
        return {
            "kind": self.cleaned_data.get("kind") or "",
            "unread": (self.cleaned_data.get("show") or "unread") == "unread",
        }


class ReminderSettingsForm(forms.Form):
    """The kinds a user is reminded of: those left unticked are muted for them alone."""

    kinds = forms.MultipleChoiceField(
        label=_("Remind me of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick a kind to stop getting its reminders; the zone's digest is not changed."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(  # type: ignore[attr-defined]
            reminder_selectors.kind_labels().items()
        )
