"""core/bulk.py: new rows written by COPY (PostgreSQL) or one prepared INSERT (SQLite) are the
rows `save()` writes, history included, and ordinary writes go on after them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gaoxin.accounts.models import Zone
from gaoxin.core.bulk import write_new, write_rows
from gaoxin.core.history import save_recorded
from gaoxin.enterprises.models import Enterprise, ScaleSpell
from tests.factories import IndustryFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db


def test_explicit_ids_leave_the_sequence_past_them():
    written = write_new([Zone(pk=90_001, code="bulk-a", name="批量甲")])
    assert written[0].pk == 90_001 and not written[0]._state.adding
    later = Zone.objects.create(code="bulk-b", name="批量乙")
    assert later.pk > 90_001


def test_reserved_ids_are_the_sequence_s_next(zone):
    first = Zone.objects.create(code="bulk-c", name="批量丙")
    written = write_new([Zone(code=f"bulk-{n}", name=f"批量{n}") for n in range(3)])
    later = Zone.objects.create(code="bulk-d", name="批量丁")
    ids = [z.pk for z in written]
    assert ids == sorted(ids) and ids[0] > first.pk and later.pk > ids[-1]
    assert list(Zone.objects.filter(pk__in=ids).values_list("code", flat=True).order_by("pk")) == [
        "bulk-0",
        "bulk-1",
        "bulk-2",
    ]


def test_history_rows_are_those_save_writes(zone):
    """The same record saved by `save_recorded` and written in bulk: equal rows and history
    rows but for keys and clocks; the user and the reason come from the instance."""
    officer = UserFactory()
    values = {
        "name": "珠海批量科技有限公司",
        "short_name": "",
        "founded_on": dt.date(2019, 3, 1),
        "registered_capital": Decimal("1234.50"),
        "employees": None,
        "is_above_scale": True,
        "above_scale_year": 2021,
    }
    saved = Enterprise(zone=zone, uscc=make_uscc(980_001), **values)
    saved._change_reason = "导入"
    save_recorded(saved, officer)
    bulk = Enterprise(zone=zone, uscc=make_uscc(980_002), **values)
    bulk._history_user = officer
    bulk._change_reason = "导入"
    write_new([bulk])

    skip = {"id", "uscc", "created_at", "updated_at", "history_id", "history_date"}
    history_model = Enterprise.history.model

    def row(model, pk, key="id"):
        fields = [f for f in model._meta.concrete_fields if f.name not in skip]
        obj = model.objects.get(**{key: pk})
        return {f.name: getattr(obj, f.attname) for f in fields}

    assert row(Enterprise, bulk.pk) == row(Enterprise, saved.pk)
    assert row(history_model, bulk.pk) == row(history_model, saved.pk)
    assert row(history_model, bulk.pk)["history_user"] == officer.pk
    assert row(history_model, bulk.pk)["history_change_reason"] == "导入"
    stored = Enterprise.objects.get(pk=bulk.pk)
    assert stored.created_at == bulk.created_at and stored.registered_capital == Decimal("1234.50")


def test_a_foreign_key_to_an_instance_written_since_takes_its_id(zone):
    enterprise = Enterprise(zone=zone, name="后写企业", uscc=make_uscc(980_010))
    spell = ScaleSpell(enterprise=enterprise, entered_on=dt.date(2022, 1, 1))
    assert spell.enterprise_id is None
    write_new([enterprise])
    write_new([spell])
    assert ScaleSpell.objects.get(pk=spell.pk).enterprise_id == enterprise.pk


def test_a_foreign_key_to_an_unsaved_instance_is_refused(zone):
    enterprise = Enterprise(zone=zone, name="未写企业", uscc=make_uscc(980_011))
    with pytest.raises(ValueError, match="unsaved"), transaction.atomic():
        write_new([ScaleSpell(enterprise=enterprise, entered_on=dt.date(2022, 1, 1))])
    assert not ScaleSpell.objects.exists()


def test_link_rows_and_the_database_s_refusals(zone):
    enterprise = write_new([Enterprise(zone=zone, name="链接企业", uscc=make_uscc(980_020))])[0]
    industries = [IndustryFactory(zone=zone) for _ in range(3)]
    link = Enterprise.industries.through
    count = write_rows(
        link, ("enterprise", "industry"), ((enterprise.pk, i.pk) for i in industries)
    )
    assert count == 3
    assert set(enterprise.industries.all()) == set(industries)
    with pytest.raises(IntegrityError):  # the same link twice: the table's unique constraint
        write_rows(link, ("enterprise", "industry"), [(enterprise.pk, industries[0].pk)])
