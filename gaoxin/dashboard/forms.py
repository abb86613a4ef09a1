"""The action-plan forms of the dashboard; the writes are gaoxin.policies.plan_services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import count_input
from gaoxin.core.forms import DateInput, model_choice
from gaoxin.policies.models import ActionPlan, PlanTarget


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["zone", "title", "adopted_on"]
        widgets = {"adopted_on": DateInput()}

    def __init__(self, *args: Any, zone_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = model_choice(self, "zone")
        zone_field.queryset = Zone.objects.filter(pk__in=zone_ids).order_by("code")
        if len(zone_ids) == 1:
            zone_field.initial = zone_ids[0]

    def _post_clean(self) -> None:
        pass


class PlanTargetForm(forms.ModelForm):
    # A list position, bounded to what the column holds on either database.
    order = count_input(upper=32767, label=gettext_lazy("Order"), initial=0)

    class Meta:
        model = PlanTarget
        fields = [
            "label",
            "metric_key",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_year",
            "order",
        ]
        widgets = {"baseline_on": DateInput()}
        help_texts = {
            "metric_key": gettext_lazy(
                "The figure the target measures, e.g. enterprises.total (see the list of figures)."
            ),
        }

    def validate_unique(self) -> None:
        """The service says what is refused."""

    def _post_clean(self) -> None:
        # The service checks and writes; the form only parses.
        pass
