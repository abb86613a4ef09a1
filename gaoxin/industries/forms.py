"""Forms of the industry-system pages. They parse input; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from gaoxin.core.choices import Follows
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import label_choices, model_choice
from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup, Position, Strength

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone


def segment_choices(field: forms.ModelChoiceField, zone_ids: Iterable[int]) -> None:
    """Point a chain-segment picker at the segments of the zones' industries, each labelled
    with its industry (segment names repeat across industries)."""
    field.queryset = ChainSegment.objects.filter(industry__zone_id__in=zone_ids).select_related(
        "industry"
    )
    label_choices(field, lambda s: f"{s.industry.name} · {s.name}")


def _segment_follows(field: str, parent: str) -> Follows:
    return Follows(
        field=field,
        parent=parent,
        parent_of=lambda segment: segment.industry_id,
        message=_(
            "“%(choice)s” is not a segment of the %(parent)s chain: choose one of its segments."
        ),
        name_of=lambda segment: segment.name,
    )


# The chain segment follows the industry (a lead's, a project's, a list's filter), and an
# enterprise's segments its industries.
SEGMENT_FOLLOWS_INDUSTRY = _segment_follows("segment", "industry")
SEGMENTS_FOLLOW_INDUSTRIES = _segment_follows("segments", "industries")


def industry_filter() -> forms.ModelChoiceField:
    """The industry choice of a filtered list; the form narrows its queryset to the user's
    zones."""
    return forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.none(),
        required=False,
        empty_label=_("All industries"),
    )


class IndustryGroupForm(VersionedFormMixin, forms.Form):
    zone: forms.ModelChoiceField[Zone] = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, zones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if zones is None:  # editing: the zone stays
            del self.fields["zone"]
        else:
            model_choice(self, "zone").queryset = zones


class IndustryForm(VersionedFormMixin, forms.Form):
    group: forms.ModelChoiceField[IndustryGroup] = forms.ModelChoiceField(
        label=_("Industry group"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    short_name = forms.CharField(label=_("Short name"), max_length=20, required=False)
    is_key = forms.BooleanField(
        label=_("Key industry"),
        required=False,
        help_text=_("A key industry has an industry map."),
    )
    weak_max = forms.IntegerField(
        label=_("Weak up to"),
        min_value=1,
        max_value=32767,
        initial=2,
        help_text=_("A segment with at least one and at most this many enterprises is weak."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "group").queryset = groups
        self.fields["description"].widget.attrs["rows"] = 3

    @classmethod
    def initial_of(cls, industry: Industry) -> dict[str, Any]:
        return model_to_dict(industry, fields=list(cls.base_fields))


class SegmentForm(VersionedFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    parent: forms.ModelChoiceField[ChainSegment] = forms.ModelChoiceField(
        label=_("Parent segment"), queryset=None, required=False, empty_label="—"
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, industry: Industry, exclude: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = ChainSegment.objects.filter(industry=industry).order_by("position", "name")
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        model_choice(self, "parent").queryset = parents
        self.fields["description"].widget.attrs["rows"] = 3

    @classmethod
    def initial_of(cls, segment: ChainSegment) -> dict[str, Any]:
        return model_to_dict(segment, fields=list(cls.base_fields))


class StrengthForm(VersionedFormMixin, forms.Form):
    strength = forms.ChoiceField(
        label=_("Strength"),
        choices=[("", _("As computed from the enterprises")), *list(Strength.choices)],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=100)


def groups_field_queryset(groups: Any) -> Any:
    return groups.select_related("zone").order_by("zone__code", "order", "name")
