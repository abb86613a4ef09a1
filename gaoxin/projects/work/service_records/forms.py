"""Forms of the service record page: the meeting, and its decisions as a formset. They parse
input; the rules are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, User
from gaoxin.accounts.selectors import departments_of, staff_of
from gaoxin.core.forms import label_choices, model_choice
from gaoxin.projects.models import ServiceRecord
from gaoxin.projects.work.forms import DATE, OwnerFields, person_label


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceRecord.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), **DATE)
    attendees: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    departments: forms.ModelMultipleChoiceField[Department] = forms.ModelMultipleChoiceField(
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
        model_choice(self, "attendees").queryset = staff_of([zone_id]).select_related("department")
        label_choices(model_choice(self, "attendees"), person_label)
        model_choice(self, "departments").queryset = departments_of([zone_id])


class DecisionForm(OwnerFields):
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
DecisionFormSet = cast(
    "type[_DecisionFormSet]",
    forms.formset_factory(
        DecisionForm,
        formset=_DecisionFormSet,
        extra=3,
        max_num=30,
        absolute_max=30,
        validate_max=True,
    ),
)
