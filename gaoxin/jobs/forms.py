"""The filters of 我的任务."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.jobs import kinds, selectors


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in selectors.SORTS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All")), *selectors.job_statuses()]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [
            ("", _("All")),
            *sorted(
                ((k.name, k.label) for k in kinds.all_kinds().values()), key=lambda c: str(c[1])
            ),
        ]

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "sort": data.get("sort") or "",
        }
