"""Forms of the blocker pages. They parse input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import choice_field, search_field
from gaoxin.projects.models import BlockerStatus, Project
from gaoxin.projects.stages import Stage, path_of
from gaoxin.projects.work.blockers.selectors import BLOCKER_SORTS
from gaoxin.projects.work.forms import DATE, OwnerFields, WorkFilterForm


class BlockerFilterForm(WorkFilterForm):
    q = search_field()
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # The list opens on "open" (the view's default): what is still to handle, urgent first.
        choices=[
            ("open", _("Not closed (default)")),
            ("closed", _("Closed (已解决 or 无法解决)")),
            ("", _("All")),
            *BlockerStatus.choices,
        ],
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in BLOCKER_SORTS])

    extra_flags = ("mine",)


class BlockerForm(OwnerFields):
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("The project's current stage")), *Stage.choices],
    )
    raised_on = forms.DateField(
        label=_("Raised on"), required=False, help_text=_("Today if left empty."), **DATE
    )
    due_on = forms.DateField(label=_("Due on"), **DATE)

    field_order = ["description", "department", "owner", "stage", "raised_on", "due_on"]

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            # The stages of the project's own path: a space tenant has no 拿地, a land
            # project no 装修.
            choice_field(self, "stage").choices = [
                ("", _("The project's current stage")),
                *[(str(s), s.label) for s in path_of(project.carrier)],
            ]


class BlockerStatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=BlockerStatus.choices)
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close: how it was resolved, or why it cannot be."),
    )
    on = forms.DateField(
        label=_("Closed on"), required=False, help_text=_("Today if left empty."), **DATE
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Required to reopen a closed blocker."),
    )


class BlockerReassignForm(VersionedFormMixin, OwnerFields):
    """Shown beside the status form on the blocker page, so its fields carry a prefix."""

    prefix = "reassign"
    due_on = forms.DateField(label=_("Due on"), **DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
