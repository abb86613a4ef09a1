"""The shared optimistic lock: a form built from an older version is refused, naming who
changed the record and when; a save bumps the version; the form carries it hidden."""

from __future__ import annotations

import pytest
from django import forms
from django.db import transaction
from django.utils import formats, timezone, translation

from gaoxin.core.concurrency import (
    VersionedFormMixin,
    add_version_field,
    lock_at_version,
    lock_for_write,
)
from gaoxin.core.errors import DomainError
from gaoxin.core.history import history_entries
from gaoxin.spaces.models import Space
from tests.factories import SpaceFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _edit(space: Space, by, **fields) -> Space:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(space, name, value)
        space._history_user = by
        space.save()
    return space


def test_a_new_record_starts_at_one_and_every_save_bumps_it(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    assert space.version == 1
    _edit(space, users["officer"], name="一号楼")
    _edit(space, users["officer"], name="二号楼")
    space.refresh_from_db()
    assert space.version == 3


def test_a_save_of_some_fields_bumps_the_stored_version_too(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    space.name = "三号楼"
    space.save(update_fields=["name"])
    space.refresh_from_db()
    assert (space.name, space.version) == ("三号楼", 2)


def test_the_current_version_is_locked_and_returned_fresh(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    opened = Space.objects.get(pk=space.pk)
    with transaction.atomic():
        current = lock_at_version(opened, opened.version)
    assert current is not opened and current.pk == space.pk


def test_a_stale_version_is_refused_naming_who_and_when(zone, users) -> None:
    admin = users["admin"]
    space = SpaceFactory(zone=zone)
    opened_at = space.version
    _edit(Space.objects.get(pk=space.pk), admin, name="改过的名字")
    last = space.history.first()
    when = formats.date_format(timezone.localtime(last.history_date), "Y-m-d H:i")
    with pytest.raises(DomainError) as refused, transaction.atomic():
        lock_at_version(space, opened_at)
    message = refused.value.message
    assert (admin.name or admin.username) in message
    assert when in message
    assert str(Space._meta.verbose_name) in message and "Reload the page" in message


def test_the_refusal_is_in_chinese_naming_the_kind_of_record(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    _edit(Space.objects.get(pk=space.pk), users["admin"], name="改过的名字")
    with translation.override("zh-hans"):
        with pytest.raises(DomainError) as refused, transaction.atomic():
            lock_at_version(space, 1)
        assert "修改了该产业空间" in refused.value.message
        assert "刷新页面" in refused.value.message


@pytest.mark.parametrize("version", [None, "1", 1.0, True])
def test_a_write_without_a_whole_number_version_is_refused(zone, version) -> None:
    space = SpaceFactory(zone=zone)
    with pytest.raises(DomainError, match="missing its version"), transaction.atomic():
        lock_at_version(space, version)


def test_a_write_from_no_form_locks_without_comparing(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    _edit(Space.objects.get(pk=space.pk), users["admin"], name="别人改的")
    with transaction.atomic():
        current = lock_for_write(space, None)
    assert current.name == "别人改的"
    with pytest.raises(DomainError), transaction.atomic():
        lock_for_write(space, space.version)


def test_the_version_is_no_change_in_the_history_panel(zone, users) -> None:
    space = SpaceFactory(zone=zone)
    _edit(space, users["admin"], name="四号楼")
    labels = [c.label for e in history_entries(space) for c in e.changes]
    assert labels and "version" not in labels


class _SpaceForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Space
        fields = ["name"]


def test_an_edit_form_carries_the_version_hidden_and_keeps_it_out_of_the_details(zone) -> None:
    space = SpaceFactory(zone=zone)
    _edit(space, None, name="五号楼")
    form = _SpaceForm(instance=space)
    assert form.fields["version"].initial == space.version
    assert form.fields["version"].widget.is_hidden
    bound = _SpaceForm({"name": "六号楼", "version": "2"}, instance=space)
    assert bound.is_valid(), bound.errors
    assert bound.opened_version == 2
    assert bound.details() == {"name": "六号楼"}


def test_an_edit_form_without_its_version_is_not_valid(zone) -> None:
    space = SpaceFactory(zone=zone)
    assert "version" in _SpaceForm({"name": "七号楼"}, instance=space).errors


def test_a_form_for_a_new_record_has_no_version() -> None:
    assert "version" not in _SpaceForm().fields


def test_a_plain_form_gets_the_version_of_the_record_it_acts_on(zone) -> None:
    space = SpaceFactory(zone=zone)
    form = forms.Form()
    add_version_field(form, space)
    assert form.fields["version"].initial == space.version


def test_a_form_built_from_an_older_version_is_not_valid_and_says_who(zone, users) -> None:
    admin = users["admin"]
    space = SpaceFactory(zone=zone)
    opened_at = space.version
    stored = _edit(Space.objects.get(pk=space.pk), admin, name="甲改的")
    form = _SpaceForm({"name": "乙改的", "version": str(opened_at)}, instance=stored)
    assert not form.is_valid()
    (message,) = form.errors["version"]
    assert "was changed by" in message and (admin.name or admin.username) in message


def test_a_save_of_no_fields_writes_nothing_and_keeps_the_version(zone) -> None:
    space = SpaceFactory(zone=zone)
    space.save(update_fields=[])
    space.refresh_from_db()
    assert space.version == 1
