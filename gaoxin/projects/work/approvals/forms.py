"""Forms of the approval pages. They parse input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.accounts.selectors import departments_of
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import model_choice, search_field
from gaoxin.projects.models import ApprovalStatus, ApprovalTemplate
from gaoxin.projects.work.approvals.selectors import APPROVAL_SORTS
from gaoxin.projects.work.forms import DATE, WorkFilterForm


class ApprovalFilterForm(WorkFilterForm):
    q = search_field(label=_("Project or approval"))
    # The list opens on "open" (the view's default): what is still to do, urgent first.
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Still to do (default)")),
            ("done", _("Done (已办结)")),
            ("", _("All")),
            ("owed", _("容缺 documents still owed")),
            *[(k, v) for k, v in ApprovalStatus.choices if k != ApprovalStatus.DONE],
        ],
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in APPROVAL_SORTS])


class ApprovalUpdateForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ApprovalStatus.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, **DATE)
    due_on = forms.DateField(label=_("Due on"), required=False, **DATE)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        help_text=_("For 已办结; today if left empty."),
        **DATE,
    )
    owed_documents = forms.CharField(
        label=_("Documents still owed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For 容缺受理: what the enterprise still has to hand in. They stay owed when the "
            "approval is done, until received or waived below."
        ),
    )
    owed_due_on = forms.DateField(
        label=_("Deadline for the owed documents (容缺材料补齐时限)"), required=False, **DATE
    )
    note = forms.CharField(
        label=_("Note on this change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return an approval or to reopen a done one."),
    )

    def __init__(self, *args: Any, may_set_due: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_set_due:
            # The deadline is the zone's to set: a department cannot move its own.
            del self.fields["due_on"]

    @classmethod
    def initial_for(cls, approval: Any) -> dict[str, Any]:
        return {
            "status": approval.status,
            "started_on": approval.started_on,
            "due_on": approval.due_on,
            "done_on": approval.done_on,
            # Settled (received or waived) documents are not offered to be owed again.
            "owed_documents": approval.owed_documents if approval.owes_documents else "",
            "owed_due_on": approval.owed_due_on if approval.owes_documents else None,
        }


class ApprovalDocumentsForm(VersionedFormMixin, forms.Form):
    """Settle the owed 容缺 documents: received on a day, or waived with a reason (the
    button pressed, named `action`, says which)."""

    on = forms.DateField(
        label=_("Received or waived on"),
        required=False,
        help_text=_("Today if left empty."),
        **DATE,
    )
    reason = forms.CharField(
        label=_("Why they are waived"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to waive them."),
    )


class ApprovalAddForm(forms.Form):
    name = forms.CharField(label=_("Approval"), max_length=100)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    due_on = forms.DateField(label=_("Due on"), required=False, **DATE)

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "department").queryset = departments_of([zone_id])


class ApprovalApplyForm(forms.Form):
    template: forms.ModelChoiceField[ApprovalTemplate] = forms.ModelChoiceField(
        label=_("Checklist template"), queryset=None
    )
    started_on = forms.DateField(
        label=_("Start counting from"),
        required=False,
        help_text=_("With a date, each approval is due its expected days after it."),
        **DATE,
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "template").queryset = templates
