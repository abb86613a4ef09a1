from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.selectors import officer_holders, officers_of
from gaoxin.core.bounds import area_input, money_input
from gaoxin.core.choices import DependentChoicesMixin
from gaoxin.core.concurrency import VersionedFormMixin, add_version_field
from gaoxin.core.forms import (
    YES_NO,
    DateInput,
    choice_field,
    label_choices,
    model_choice,
    search_field,
    yes_no,
)
from gaoxin.enterprises.fields import UsccField
from gaoxin.industries.forms import SEGMENT_FOLLOWS_INDUSTRY, industry_filter, segment_choices
from gaoxin.industries.models import Industry
from gaoxin.projects import stages
from gaoxin.projects.models import Project
from gaoxin.projects.selectors import SORTS
from gaoxin.projects.services import DETAIL_FIELDS
from gaoxin.projects.stages import Carrier, Stage
from gaoxin.spaces.models import Space

DATE = DateInput()


def _zone_choices(form: forms.BaseForm, zone_ids: list[int], *, holder: Any = None) -> None:
    """Point the form's relation pickers at the records of these zones (`holder`: the officer
    the record already names, kept on offer)."""
    fields = form.fields
    if "industry" in fields:
        model_choice(form, "industry").queryset = Industry.objects.filter(zone_id__in=zone_ids)
    if "segment" in fields:
        segment_choices(model_choice(form, "segment"), zone_ids)
    if "officer" in fields:
        officer = model_choice(form, "officer")
        officer.queryset = officers_of(zone_ids, keep=holder)
        label_choices(officer, lambda user: user.display_name)
    if "space" in fields:
        model_choice(form, "space").queryset = Space.objects.filter(zone_id__in=zone_ids)


class ProjectFilterForm(forms.Form):
    q = search_field(_("Project, investor, parcel code or credit code"))
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), ("active", _("All but terminated")), *Stage.choices],
    )
    industry = industry_filter()
    officer = forms.ModelChoiceField(
        label=_("Serving officer"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    carrier = forms.ChoiceField(
        label=_("Carrier"), required=False, choices=[("", _("Any")), *Carrier.choices]
    )
    space = forms.ModelChoiceField(
        label=_("Industrial space"),
        queryset=Space.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    above_scale = forms.ChoiceField(
        label=_("Expected to become 规上"), required=False, choices=YES_NO
    )
    overdue = forms.BooleanField(label=_("With overdue blockers"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _zone_choices(self, zone_ids)
        # A filter finds what is there: administrators may still hold a project.
        model_choice(self, "officer").queryset = officer_holders(zone_ids)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        above = data.get("above_scale")
        return {
            "q": data.get("q") or "",
            "stage": data.get("stage") or "",
            "industry": data.get("industry"),
            "officer": data.get("officer"),
            "carrier": data.get("carrier") or "",
            "space": data.get("space"),
            "expected_above_scale": yes_no(above),
            "overdue_blockers": bool(data.get("overdue")),
            "sort": data.get("sort") or "",
        }


class ProjectForm(DependentChoicesMixin, VersionedFormMixin, forms.ModelForm):
    """A project's particulars. The stage is not here: it moves only by recorded changes."""

    dependent_choices = (SEGMENT_FOLLOWS_INDUSTRY,)

    class Meta:
        model = Project
        fields = list(DETAIL_FIELDS)  # exactly what project_update accepts
        widgets = {
            "land_contract_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _zone_choices(self, [zone_id], holder=self.instance.officer_id)

    def validate_unique(self) -> None:
        """The services say what is refused, in their words."""

    def _post_clean(self) -> None:
        # Do not write the cleaned values onto the instance or run the model's checks: the
        # service does both on a fresh copy, and says what is wrong in its own words.
        pass


class ProjectCreateForm(ProjectForm):
    stage = forms.ChoiceField(
        label=_("Starting stage"),
        choices=[(s, s.label) for s in Stage if s != Stage.TERMINATED],
        initial=Stage.PLANNED,
        help_text=_("For a project already under way, the stage it is at now."),
    )
    stage_on = forms.DateField(label=_("In this stage since"), widget=DATE)
    uscc = UsccField(
        help_text=_("Of the company registered here, once there is one (needed from 注册 on)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage_on"].initial = timezone.localdate()


class FromLeadForm(forms.Form):
    """签约: what turning a lead into a project asks for beyond what the lead carries."""

    name = forms.CharField(label=_("Project name"), max_length=150)
    carrier = forms.ChoiceField(label=_("Carrier"), choices=Carrier.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.none())
    planned_investment = money_input(label=_("Planned total investment (yuan)"))
    fixed_asset_investment = money_input(label=_("Fixed-asset investment (yuan)"))
    expected_annual_output = money_input(
        label=_("Expected annual output (yuan)"),
        required=False,
    )
    expected_annual_tax = money_input(
        label=_("Expected annual tax (yuan)"),
        required=False,
    )
    expected_above_scale = forms.BooleanField(label=_("Expected to become 规上"), required=False)
    officer = forms.ModelChoiceField(
        label=_("Serving officer (专人服务)"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _zone_choices(self, [zone_id], holder=self.initial.get("officer"))
        self.fields["signed_on"].initial = timezone.localdate()


class AdvanceForm(forms.Form):
    """Move a project to another stage (of its path, or 终止), with the evidence the target
    stage asks for: only that stage's fields (and those of stages passed over), in the
    order the path asks for them. The target is the posted `to_stage`, else `target`, else
    the next stage."""

    to_stage = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(label=_("On"), widget=DATE)
    uscc = UsccField(help_text=_("For 注册: the code of the company registered here."))
    company_name = forms.CharField(
        label=_("Registered company name"),
        required=False,
        max_length=120,
        help_text=_("For 注册, when the company is new to the registry."),
    )
    land_parcel_code = forms.CharField(
        label=_("Land parcel code (地块编号)"), required=False, max_length=60
    )
    land_area = area_input(label=_("Land area (m²)"), required=False)
    land_contract_on = forms.DateField(
        label=_("Land contract signed on"), required=False, widget=DATE
    )
    space = forms.ModelChoiceField(
        label=_("Industrial space"), queryset=Space.objects.none(), required=False
    )
    floor_area = area_input(label=_("Floor area (m²)"), required=False)
    planned_investment = money_input(
        label=_("Planned total investment (yuan)"),
        required=False,
    )
    fixed_asset_investment = money_input(
        label=_("Fixed-asset investment (yuan)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving back, skipping a stage or terminating: say why."),
    )

    # The fields that are not evidence: always there.
    HEAD = ("to_stage", "on")

    def __init__(
        self, *args: Any, project: Project, target: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        choices = stages.stage_choices(project)
        to_stage = choice_field(self, "to_stage")
        to_stage.choices = choices
        keys = [key for key, _label in choices]
        if self.is_bound:
            target = self.data.get("to_stage")
        if target not in keys:
            target = keys[0] if keys else None
        self.target = target
        to_stage.initial = target
        add_version_field(self, project)
        self.fields["on"].initial = timezone.localdate()
        model_choice(self, "space").queryset = Space.objects.filter(zone_id=project.zone_id)
        for name in (
            "land_parcel_code",
            "land_area",
            "land_contract_on",
            "floor_area",
            "planned_investment",
            "fixed_asset_investment",
        ):
            self.fields[name].initial = getattr(project, name)
        self.fields["space"].initial = project.space_id
        # Only what the target stage asks for, in the path's order; the code of a company
        # already in the registry is not asked again.
        wanted = stages.evidence_fields(project, target) if target else []
        if "uscc" in wanted:
            if project.enterprise_id is not None:
                wanted.remove("uscc")
            else:
                wanted.insert(wanted.index("uscc") + 1, "company_name")
        self.evidence = wanted
        order = [*self.HEAD, *wanted, "note", "version"]
        self.fields = {name: self.fields[name] for name in order if name in self.fields}

    def stage_fields(self) -> list[forms.BoundField]:
        """The visible fields that follow the target stage (swapped when it changes)."""
        return [self[name] for name in self.fields if name not in (*self.HEAD, "version")]

    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.HEAD]

    def change(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data.setdefault("note", "")
        return data

    def missing(self) -> list[stages.Requirement]:
        """What the project lacks for the target stage, to say before it is asked."""
        return stages.missing_evidence(self.project, self.target) if self.target else []
