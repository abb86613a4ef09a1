from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.concurrency import VersionedFormMixin, add_version_field
from gaoxin.core.forms import DateInput, choice_field, search_field
from gaoxin.spaces.models import Space
from gaoxin.spaces.selectors import SORTS
from gaoxin.spaces.services import DETAIL_FIELDS


class SpaceFilterForm(forms.Form):
    q = search_field(_("Name, developer or address"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Space.Status.choices]
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"q": data["q"], "status": data["status"], "sort": data["sort"]}


class SpaceForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Space
        fields = list(DETAIL_FIELDS)  # exactly what space_update accepts
        widgets = {"planned_completion_on": DateInput(), "completed_on": DateInput()}

    def validate_unique(self) -> None:
        """The service says what is refused, in its words."""

    def _post_clean(self) -> None:
        # The service checks and writes on a fresh copy.
        pass


class SpaceCreateForm(SpaceForm):
    status = forms.ChoiceField(label=_("Status"), choices=Space.Status.choices)
    status_on = forms.DateField(label=_("In this status since"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status_on"].initial = timezone.localdate()


class SpaceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Space.Status.choices)
    on = forms.DateField(label=_("On"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("Required when going back to an earlier status."),
    )

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, space)
        choice_field(self, "status").choices = [
            c for c in Space.Status.choices if c[0] != space.status
        ]
        self.fields["on"].initial = timezone.localdate()
