"""The fields that name an enterprise: a credit code, or a pick among a search's matches."""

from __future__ import annotations

import pytest
from django import forms
from django.db.models import Q

from gaoxin.enterprises.fields import EnterpriseChoiceField, UsccField
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.selectors import PICKER_LIMIT, enterprise_matches
from tests.factories import EnterpriseFactory, make_uscc


def test_a_credit_code_is_cleaned_and_checked() -> None:
    field = UsccField()
    code = make_uscc(7)
    assert field.clean(f" {code.lower()[:6]}-{code.lower()[6:]} ") == code
    assert field.clean("") == ""
    with pytest.raises(forms.ValidationError):
        field.clean(code[:-1] + ("0" if code[-1] != "0" else "1"))


class Picker(forms.Form):
    enterprise = EnterpriseChoiceField()


@pytest.mark.django_db
def test_a_picker_offers_the_matches_and_refuses_what_it_may_not_pick(zone, other_zone) -> None:
    mine = EnterpriseFactory(zone=zone, name="星辰科技")
    elsewhere = EnterpriseFactory(zone=other_zone, name="星辰材料")
    form = Picker({"enterprise": elsewhere.pk})
    form.fields["enterprise"].offer([mine], Enterprise.objects.filter(zone=zone))
    assert [value for value, _label in form.fields["enterprise"].widget.choices][1:] == [mine.pk]
    assert not form.is_valid()
    form = Picker({"enterprise": mine.pk})
    form.fields["enterprise"].offer([mine], Enterprise.objects.filter(zone=zone))
    assert form.is_valid() and form.cleaned_data["enterprise"] == mine


@pytest.mark.django_db
def test_matches_are_of_the_zone_few_and_keep_the_one_picked(zone, other_zone, users) -> None:
    officer = users["officer"]
    picked = EnterpriseFactory(zone=zone, name="甲公司")
    for n in range(PICKER_LIMIT + 3):
        EnterpriseFactory(zone=zone, name=f"星辰{n}号科技")
    EnterpriseFactory(zone=other_zone, name="星辰外区科技")
    found = enterprise_matches(officer, zone.pk, "星辰", picked=str(picked.pk))
    assert found[0] == picked and len(found) == PICKER_LIMIT + 1
    assert all(e.zone_id == zone.pk for e in found)
    assert enterprise_matches(officer, zone.pk, "") == []
    one = Enterprise.objects.get(name="星辰0号科技")
    assert one not in enterprise_matches(officer, zone.pk, "星辰0号", exclude=Q(pk=one.pk))
