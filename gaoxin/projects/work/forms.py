"""Form pieces the approval, blocker and service record pages share. The forms parse input; the
rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, User
from gaoxin.accounts.selectors import assignable_users, departments_of
from gaoxin.core.choices import DependentChoicesMixin, Follows
from gaoxin.core.forms import DateInput, label_choices, model_choice
from gaoxin.core.ids import IdField

# The browser's date picker reads and writes ISO dates, whatever the language.
DATE: dict[str, Any] = {"widget": DateInput()}


def person_label(user: User) -> str:
    department = f" · {user.department}" if user.department_id else ""
    return f"{user.display_name}{department}"


# The responsible person follows the department: its people, and officers of no department
# (who serve projects across them).
OWNER_FOLLOWS_DEPARTMENT = Follows(
    field="owner",
    parent="department",
    parent_of=lambda user: user.department_id,
    message=_("%(choice)s does not work in %(parent)s: choose one of its people."),
    name_of=lambda user: user.display_name,
)


class OwnerFields(DependentChoicesMixin, forms.Form):
    """A responsible department and person of the project's zone: someone who takes work
    (never an administrator or a leader), of the department chosen."""

    dependent_choices = (OWNER_FOLLOWS_DEPARTMENT,)

    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=None
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=None, required=False
    )

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "department").queryset = departments_of([zone_id])
        owner = model_choice(self, "owner")
        owner.queryset = assignable_users([zone_id], keep=self.initial.get("owner")).select_related(
            "department"
        )
        label_choices(owner, person_label)


class WorkFilterForm(forms.Form):
    """The filters an approval and a blocker list share; each kind adds its search box, its
    statuses and its sorts (and `extra_flags`, booleans passed on as they are)."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    project = IdField(required=False, widget=forms.HiddenInput)

    field_order = ["q", "status", "department", "overdue", "mine", "project", "sort"]
    extra_flags: tuple[str, ...] = ()

    def __init__(
        self, *args: Any, zone_ids: list[int], own_department: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if own_department:
            # A department user's list is their own department's: no choice to make.
            del self.fields["department"]
        else:
            model_choice(self, "department").queryset = departments_of(zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        department = data.get("department")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "department": department.pk if department else None,
            "overdue": bool(data.get("overdue")),
            **{flag: bool(data.get(flag)) for flag in self.extra_flags},
            "project": data.get("project"),
            "sort": data.get("sort") or "urgent",
        }
