"""Forms of the approval, blocker and service record pages. They parse input; the rules are the
services' (gaoxin/projects/work/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.accounts.selectors import departments_of, staff_of
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import DateInput, search_field
from gaoxin.core.ids import IdField
from gaoxin.projects.models import ApprovalStatus, BlockerStatus, ServiceRecord
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.selectors import APPROVAL_SORTS, BLOCKER_SORTS

# The browser's date picker reads and writes ISO dates, whatever the language.
DATE = {"widget": DateInput()}


def _person_label(user: Any) -> str:
    department = f" · {user.department}" if user.department_id else ""
    return f"{user.display_name}{department}"


# --- approvals -----------------------------------------------------------------------------


class ApprovalFilterForm(forms.Form):
    q = search_field(label=_("Project or approval"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Not done yet")), *ApprovalStatus.choices],
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    project = IdField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in APPROVAL_SORTS])

    def __init__(
        self, *args: Any, zone_ids: list[int], own_department: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if own_department:
            # A department user's list is their own department's: no choice to make.
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments_of(zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        department = data.get("department")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "department": department.pk if department else None,
            "overdue": bool(data.get("overdue")),
            "project": data.get("project"),
            "sort": data.get("sort") or "due",
        }


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
        help_text=_("For 容缺受理: what the enterprise still has to hand in."),
    )
    owed_due_on = forms.DateField(label=_("Documents due on"), required=False, **DATE)
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
            "owed_documents": approval.owed_documents,
            "owed_due_on": approval.owed_due_on,
        }


class ApprovalAddForm(forms.Form):
    name = forms.CharField(label=_("Approval"), max_length=100)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    due_on = forms.DateField(label=_("Due on"), required=False, **DATE)

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of([zone_id])


class ApprovalApplyForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Checklist template"), queryset=None)
    started_on = forms.DateField(
        label=_("Start counting from"),
        required=False,
        help_text=_("With a date, each approval is due its expected days after it."),
        **DATE,
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


# --- blockers ------------------------------------------------------------------------------


class BlockerFilterForm(forms.Form):
    q = search_field()
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Not closed")), *BlockerStatus.choices],
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    project = IdField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in BLOCKER_SORTS])

    def __init__(
        self, *args: Any, zone_ids: list[int], own_department: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if own_department:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments_of(zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        department = data.get("department")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "department": department.pk if department else None,
            "overdue": bool(data.get("overdue")),
            "mine": bool(data.get("mine")),
            "project": data.get("project"),
            "sort": data.get("sort") or "due",
        }


class _OwnerFields(forms.Form):
    """A responsible department and person of the project's zone."""

    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None)
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=None, required=False)

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of([zone_id])
        owner = self.fields["owner"]
        owner.queryset = staff_of([zone_id]).select_related("department")
        owner.label_from_instance = _person_label


class BlockerForm(_OwnerFields):
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


class BlockerReassignForm(VersionedFormMixin, _OwnerFields):
    """Shown beside the status form on the blocker page, so its fields carry a prefix."""

    prefix = "reassign"
    due_on = forms.DateField(label=_("Due on"), **DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


# --- service records -----------------------------------------------------------------------


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceRecord.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), **DATE)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enterprise_attendees = forms.CharField(
        label=_("Enterprise attendees"),
        required=False,
        max_length=300,
        help_text=_("Names and titles of the enterprise's people who took part."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff_of([zone_id]).select_related("department")
        self.fields["attendees"].label_from_instance = _person_label
        self.fields["departments"].queryset = departments_of([zone_id])


class DecisionForm(_OwnerFields):
    """One decision of a meeting: it becomes a blocker with an owner and a due date."""

    description = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due on"), **DATE)

    field_order = ["description", "department", "owner", "due_on"]


class _DecisionFormSet(forms.BaseFormSet):
    def decisions(self) -> list[dict[str, Any]]:
        """The filled-in decisions, in order (blank rows are left out)."""
        return [
            {
                key: form.cleaned_data.get(key)
                for key in ("description", "department", "owner", "due_on")
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


# absolute_max: a crafted TOTAL_FORMS builds at most this many forms (Django's default, max_num
# + 1000, let one request build 1,030 and take seconds of CPU).
DecisionFormSet = forms.formset_factory(
    DecisionForm,
    formset=_DecisionFormSet,
    extra=3,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)
