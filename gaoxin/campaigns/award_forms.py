from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.campaigns.award_selectors import AWARD_SORTS, BATCH_SORTS
from gaoxin.campaigns.forms import DATE_ERRORS, StatusSearchForm, policy_choices, status_filter
from gaoxin.campaigns.models import AwardBatch, AwardStatus
from gaoxin.core.bounds import money_input
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import DateInput, label_choices, model_choice, search_field
from gaoxin.enterprises.fields import EnterpriseChoiceField
from gaoxin.enterprises.models import Designation, Enterprise


class BatchFilterForm(forms.Form):
    q = search_field(_("Batch or policy"))
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in BATCH_SORTS])

    def search_arguments(self) -> dict[str, Any]:
        return {"q": self.cleaned_data.get("q") or "", "sort": self.cleaned_data.get("sort") or ""}


class AwardBatchForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AwardBatch
        fields = ["name", "policy", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy_choices(model_choice(self, "policy"), zone_id)


class AwardFilterForm(StatusSearchForm):
    q = search_field(_("Enterprise, credit code or reason"))
    status = status_filter(("public", _("On the public list")), AwardStatus.choices)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in AWARD_SORTS])


class AwardAddForm(forms.Form):
    """An award to an enterprise picked from a search of the registry (never a list of all
    of it), optionally for one of its designations."""

    enterprise = EnterpriseChoiceField(
        error_messages={
            "required": _("Search the registry and pick the enterprise."),
            "invalid_choice": _("Pick an enterprise of this batch's zone."),
        },
    )
    amount = money_input(label=_("Amount (yuan)"))
    designation = forms.ModelChoiceField(
        label=_("For the designation"),
        queryset=Designation.objects.none(),
        required=False,
        empty_label=_("None: a policy clause"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("The designation or policy clause; left empty, the designation names it."),
    )

    def __init__(
        self,
        *args: Any,
        enterprises: Any,
        matches: list[Enterprise],
        designations: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(EnterpriseChoiceField, self.fields["enterprise"]).offer(matches, enterprises)
        if len(matches) == 1 and not self.is_bound:
            self.initial.setdefault("enterprise", matches[0].pk)
        model_choice(self, "designation").queryset = designations
        label_choices(
            model_choice(self, "designation"),
            lambda d: f"{d.get_kind_display()} · {d.granted_on:%Y-%m-%d}",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        designation, enterprise = data.get("designation"), data.get("enterprise")
        if (
            designation is not None
            and enterprise is not None
            and designation.enterprise_id != enterprise.pk
        ):
            self.add_error("designation", _("The designation belongs to another enterprise."))
        return data


class AwardChangeForm(VersionedFormMixin, forms.Form):
    """公示 or 已拨付 for one award, on a day."""

    action = forms.ChoiceField(
        label=_("Step"),
        choices=[("announce", _("Publicly announce (公示)")), ("pay", _("Paid (已拨付)"))],
    )
    on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class BatchAnnounceForm(forms.Form):
    on = forms.DateField(
        label=_("Publicly announced on"), widget=DateInput(), error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AwardCorrectForm(VersionedFormMixin, forms.Form):
    amount = money_input(label=_("Amount (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AwardWithdrawForm(VersionedFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Why it is withdrawn"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
