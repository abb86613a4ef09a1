from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.campaigns.models import Application, ApplicationStatus, Campaign
from gaoxin.campaigns.selectors import APPLICATION_SORTS, CAMPAIGN_SORTS
from gaoxin.campaigns.services import move_choices
from gaoxin.core.concurrency import VersionedFormMixin, add_version_field
from gaoxin.core.forms import (
    AsOfField,
    DateInput,
    choice_field,
    label_choices,
    model_choice,
    search_field,
)
from gaoxin.enterprises.fields import EnterpriseChoiceField
from gaoxin.enterprises.models import DesignationKind, Enterprise
from gaoxin.policies.models import Policy

DATE_ERRORS = {"invalid": _("Enter a date as YYYY-MM-DD.")}


def policy_choices(field: forms.ModelChoiceField[Any], zone_id: int) -> None:
    """Point a policy picker at the zone's policies."""
    field.queryset = Policy.objects.filter(zone_id=zone_id).order_by("-issued_on", "title")
    label_choices(field, lambda p: f"{p.title}（{p.document_no}）" if p.document_no else p.title)


class CampaignFilterForm(forms.Form):
    q = search_field(_("Campaign or policy"))
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Any")),
            ("open", _("Open now")),
            ("upcoming", _("Not open yet")),
            ("closed", _("Closed")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Leads to"),
        required=False,
        choices=[("", _("Any designation")), *DesignationKind.choices],
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in CAMPAIGN_SORTS])

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "state": data.get("state") or "",
            "kind": data.get("kind") or "",
            "sort": data.get("sort") or "",
        }


MAX_VALIDITY_YEARS = 20


def _model_field(name: str, **kwargs: Any) -> Any:
    return cast("models.Field[Any, Any]", Campaign._meta.get_field(name)).formfield(**kwargs)


class CampaignForm(VersionedFormMixin, forms.Form):
    """A campaign's fields. A plain form, not a ModelForm: the model's constraints would
    answer with their bare names, and the service says what is wrong in its own words."""

    name = _model_field("name")
    policy = _model_field("policy")
    designation_kind = _model_field(
        "designation_kind",
        help_text=_("The designation an approved application grants; leave empty if none."),
    )
    designation_level = _model_field("designation_level")
    # A designation lasts a few years (高新技术企业 and 专精特新: three); a bound also keeps
    # the expiry day, computed from it, inside the calendar.
    validity_years = _model_field("validity_years", min_value=1, max_value=MAX_VALIDITY_YEARS)
    opens_on = _model_field("opens_on", widget=DateInput(), error_messages=DATE_ERRORS)
    closes_on = _model_field("closes_on", widget=DateInput(), error_messages=DATE_ERRORS)
    eligibility = _model_field("eligibility", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(
        self, *args: Any, zone_id: int, instance: Campaign | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=list(self.base_fields)))
        self.instance = instance
        super().__init__(*args, **kwargs)
        policy_choices(model_choice(self, "policy"), zone_id)


def status_filter(group: tuple[str, Any], choices: Any) -> forms.ChoiceField:
    """A list's status filter: all statuses, a `group` of them ("applied"), or one."""
    return forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), group, *choices],
    )


class StatusSearchForm(forms.Form):
    """The filters of the campaign's applications and of a batch's awards: a search, a status
    and the sort, each empty when not given."""

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data.get(key) or "" for key in ("q", "status", "sort")}


class ApplicationFilterForm(StatusSearchForm):
    q = search_field(_("Enterprise name, pinyin initials or credit code"))
    status = status_filter(("applied", _("Submitted or further")), ApplicationStatus.choices)
    as_of = AsOfField(label=_("Counts as of"), error_messages=DATE_ERRORS)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in APPLICATION_SORTS])


class ApplicationForm(VersionedFormMixin, forms.ModelForm):
    """The enterprise's side of an application, while it is being prepared."""

    class Meta:
        model = Application
        fields = ["contact_person", "contact_phone", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 8})}


class ApplicationStartForm(forms.Form):
    """Starting an application. An officer picks the enterprise (from a search of the
    registry, never a list of all of it) and may date it back; an enterprise user starts
    their own today."""

    enterprise = EnterpriseChoiceField(
        error_messages={
            "required": _("Search the registry and pick the enterprise."),
            "invalid_choice": _("Pick an enterprise of this campaign's zone."),
        },
    )
    on = forms.DateField(label=_("Started on"), widget=DateInput(), error_messages=DATE_ERRORS)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    statement = forms.CharField(
        label=_("Application statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the enterprise says of itself against the eligibility notes."),
    )

    def __init__(
        self,
        *args: Any,
        officer: bool,
        enterprises: Any = None,
        matches: list[Enterprise] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if officer:
            cast(EnterpriseChoiceField, self.fields["enterprise"]).offer(matches or [], enterprises)
            if matches and len(matches) == 1 and not self.is_bound:
                self.initial.setdefault("enterprise", matches[0].pk)
            self.fields["on"].initial = timezone.localdate()
        else:
            del self.fields["enterprise"]
            del self.fields["on"]


class ApplicationMoveForm(forms.Form):
    """An officer moves an application on (or back) with a dated change and a note."""

    to_status = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_ERRORS)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for 未通过, for skipping a status and for moving back."),
    )
    from_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"on": timezone.localdate(), "from_status": application.status}
        )
        super().__init__(*args, **kwargs)
        add_version_field(self, application)
        choice_field(self, "to_status").choices = move_choices(application)
        self.fields["to_status"].error_messages["invalid_choice"] = _(
            "The application cannot move to that status from where it is."
        )

    def change(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "to_status": data["to_status"],
            "on": data["on"],
            "note": data.get("note") or "",
            "from_status": data.get("from_status") or None,
            "version": data["version"],
        }
