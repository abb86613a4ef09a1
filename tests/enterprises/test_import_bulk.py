"""The bulk import writes what one `enterprise_create` per row writes, all or nothing, with the
importing user in the history, in a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gaoxin.core.errors import DomainError
from gaoxin.core.excel import write_workbook
from gaoxin.core.roles import Role
from gaoxin.enterprises.imports import (
    TEMPLATE_HEADERS,
    ImportResult,
    import_enterprises,
    read_enterprise_sheet,
)
from gaoxin.enterprises.models import Designation, Enterprise, ScaleSpell
from gaoxin.enterprises.services import enterprise_create
from tests.factories import ChainSegmentFactory, IndustryFactory, UserFactory, make_uscc

# What legitimately differs between two imports of the same row: keys and clocks.
NOT_COMPARED = {"id", "zone", "created_at", "updated_at"}
HISTORY_NOT_COMPARED = NOT_COMPARED | {"history_id", "history_date"}
IMPORTED = "914404000009"  # how the codes of the sheets below begin (make_uscc(9xx_xxx))


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _chain(zone) -> None:
    storage = IndustryFactory(zone=zone, name="新型储能", short_name="储能")
    sensors = IndustryFactory(zone=zone, name="传感器")
    ChainSegmentFactory(industry=storage, name="电芯制造")
    ChainSegmentFactory(industry=sensors, name="芯片设计")


@pytest.fixture
def officer(zone, other_zone):
    # Not the standing `users`: their enterprise user's enterprise would move
    # EnterpriseFactory's USCC sequence on, into codes other test modules spell out.
    return UserFactory(role=Role.OFFICER, zones=[zone, other_zone])


@pytest.fixture
def chains(zone, other_zone) -> None:
    """The same industry system in two zones, so one sheet can be imported into each."""
    _chain(zone)
    _chain(other_zone)


def sheet(count: int, *, start: int = 950_000) -> bytes:
    """`count` rows in the template's columns, varied enough to use every derived field:
    short names, 规上 with and without a year, a segment implying its industry, blanks."""
    rows: list[list[Any]] = []
    for n in range(count):
        kind = n % 4
        rows.append(
            [
                f"珠海{'银行重庆长虹'[n % 3 : n % 3 + 2]}科技{n}号有限公司 ",
                make_uscc(start + n),
                ["", "长虹科技", "Ａ１科技", "行者"][kind],
                "王伟" if kind else "",
                dt.date(2015, 1, 1) + dt.timedelta(days=n),
                dt.date(2020, 6, 30) if kind != 3 else "",
                [1200, "0.3亿", "", 50.5][kind],
                [120, "", "35人", 0][kind],
                "珠海市高新区唐家湾镇示例路1号" if kind != 2 else "",
                ["储能、传感器", "", "传感器", "新型储能"][kind],
                ["电芯制造", "电芯制造", "芯片设计", ""][kind],
                ["是", "", "否", "是"][kind],
                [2022, "", "", ""][kind],
                "李四",
                ["0756-1234567", 13800138000, "", "13800138000"][kind],
                "contact@example.com" if kind != 1 else "",
            ]
        )
    return write_workbook(TEMPLATE_HEADERS, rows, sheet_name="企业名录")


def read(zone, content: bytes) -> ImportResult:
    result = read_enterprise_sheet(zone, content)
    assert result.errors == [], [str(p) for p in result.errors[:5]]
    return result


def import_row_by_row(zone, result: ImportResult, by) -> None:
    """What the import did before it wrote in bulk: one enterprise_create per row."""
    for row in result.rows:
        fields = {k: v for k, v in row.values.items() if not k.startswith("_")}
        enterprise_create(
            zone=zone, by=by, industries=row.industries, segments=row.segments, **fields
        )


def _columns(model, skip: set[str]) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def snapshot(zone) -> dict[str, dict[str, Any]]:
    """Each enterprise of the zone, by code: every column of its row, its link rows, its 规上
    spells and the history rows of both, without what must differ between two writes (keys
    and clocks). A key that points back at the record is compared as "is it that record's"."""
    fields = _columns(Enterprise, NOT_COMPARED)
    history_fields = _columns(Enterprise.history.model, HISTORY_NOT_COMPARED)
    spell_fields = _columns(ScaleSpell, NOT_COMPARED | {"enterprise"})
    spell_history_fields = _columns(ScaleSpell.history.model, HISTORY_NOT_COMPARED | {"enterprise"})
    industry_link = Enterprise.industries.through
    segment_link = Enterprise.segments.through
    out = {}
    imported = Enterprise.objects.filter(zone=zone, uscc__startswith=IMPORTED)
    for e in imported:
        spells = list(ScaleSpell.objects.filter(enterprise=e).order_by("pk"))
        spell_history = ScaleSpell.history.filter(enterprise_id=e.pk).order_by("history_id")
        out[e.uscc] = {
            "fields": {f.name: getattr(e, f.attname) for f in fields},
            # The link rows themselves (not the related manager's view of them).
            "industries": sorted(
                industry_link.objects.filter(enterprise_id=e.pk).values_list(
                    "industry__name", flat=True
                )
            ),
            "segments": sorted(
                segment_link.objects.filter(enterprise_id=e.pk).values_list(
                    "chainsegment__name", flat=True
                )
            ),
            "designations": Designation.objects.filter(enterprise=e).count(),
            "history": [
                {f.name: getattr(h, f.attname) for f in history_fields}
                | {"zone_matches": h.zone_id == zone.pk, "id_matches": h.id == e.pk}
                for h in e.history.order_by("history_id")
            ],
            "spells": [{f.name: getattr(s, f.attname) for f in spell_fields} for s in spells],
            "spell_history": [
                {f.name: getattr(h, f.attname) for f in spell_history_fields}
                | {"id_matches": h.id in {s.pk for s in spells}}
                for h in spell_history
            ],
        }
    return out


def test_bulk_import_writes_what_enterprise_create_writes(zone, other_zone, chains, officer):
    content = sheet(12)
    import_enterprises(zone=zone, rows=read(zone, content).rows, by=officer)
    import_row_by_row(other_zone, read(other_zone, content), officer)

    bulk, one_by_one = snapshot(zone), snapshot(other_zone)
    assert len(bulk) == 12
    for code, written in one_by_one.items():  # one enterprise at a time: a readable diff
        assert bulk[code] == written, code
    assert bulk == one_by_one
    # The comparison covers what the derived fields, the links and the spells must hold.
    sample = bulk[make_uscc(950_000)]
    assert sample["fields"]["name"] == "珠海银行科技0号有限公司"  # cleaned
    assert sample["fields"]["name_initials"] == "zhyhkj0hyxgs"  # 银行 read as yín háng
    assert sample["industries"] == ["传感器", "新型储能"]
    assert bulk[make_uscc(950_001)]["industries"] == ["新型储能"], "implied by 电芯制造"
    assert bulk[make_uscc(950_001)]["segments"] == ["电芯制造"]
    assert bulk[make_uscc(950_002)]["fields"]["name_initials"].endswith(" a1kj")
    assert bulk[make_uscc(950_003)]["fields"]["settled_on"] == timezone.localdate()
    assert bulk[make_uscc(950_003)]["fields"]["registered_capital"] == Decimal("505000.00")  # 万元
    assert bulk[make_uscc(950_001)]["fields"]["founded_on"] == dt.date(2015, 1, 2)
    assert bulk[make_uscc(950_001)]["fields"]["employees"] is None  # an empty cell
    assert [h["history_type"] for h in sample["history"]] == ["+"]
    assert sample["history"][0]["history_user"] == officer.pk
    assert sample["history"][0]["zone_matches"] and sample["history"][0]["id_matches"]
    # 规上 with a year (row 1), 规上 without one (row 4), not 规上 (rows 2 and 3).
    assert [s["entered_on"] for s in sample["spells"]] == [dt.date(2022, 1, 1)]
    assert [h["history_type"] for h in sample["spell_history"]] == ["+"]
    assert sample["spell_history"][0]["id_matches"]
    assert bulk[make_uscc(950_003)]["spells"][0]["entered_on"] == timezone.localdate()
    assert bulk[make_uscc(950_001)]["spells"] == bulk[make_uscc(950_002)]["spells"] == []


def test_ordinary_writes_follow_an_import(zone, other_zone, chains, officer):
    """The ids the import took are behind the tables' sequences: a record created the usual
    way afterwards gets a new id, and so do its history rows and its 规上 spell."""
    created = import_enterprises(zone=zone, rows=read(zone, sheet(8)).rows, by=officer)
    assert all(e.pk is not None and not e._state.adding for e in created)
    later = enterprise_create(
        zone=zone, name="后来企业", uscc=make_uscc(951_000), by=officer, is_above_scale=True
    )
    assert later.pk > max(e.pk for e in created)
    assert Enterprise.objects.filter(zone=zone).count() == 9
    assert later.history.count() == 1
    assert ScaleSpell.objects.filter(enterprise=later).count() == 1
    assert ScaleSpell.objects.filter(enterprise__zone=zone).count() == 5  # 4 imported 规上 + 1


def test_history_rows_carry_the_importing_user(zone, chains, officer):
    import_enterprises(zone=zone, rows=read(zone, sheet(30)).rows, by=officer)
    history = Enterprise.history.filter(zone_id=zone.pk, uscc__startswith=IMPORTED)
    assert history.count() == 30
    assert set(history.values_list("history_user", "history_type")) == {(officer.pk, "+")}
    assert set(history.values_list("id", flat=True)) == set(
        Enterprise.objects.filter(zone=zone, uscc__startswith=IMPORTED).values_list("pk", flat=True)
    )


def counts(zone) -> tuple[int, int, int, int]:
    """Imported enterprises, their history rows, industry links and segment links."""
    mine = {"enterprise__zone": zone, "enterprise__uscc__startswith": IMPORTED}
    return (
        Enterprise.objects.filter(zone=zone, uscc__startswith=IMPORTED).count(),
        Enterprise.history.filter(zone_id=zone.pk, uscc__startswith=IMPORTED).count(),
        Enterprise.industries.through.objects.filter(**mine).count(),
        Enterprise.segments.through.objects.filter(**mine).count(),
    )


def test_a_database_error_half_way_writes_nothing(zone, chains, officer):
    result = read(zone, sheet(200))
    # A value only the database refuses (a negative capital), late in the file: the batches
    # before it are already written when it fails.
    result.rows[150].values["registered_capital"] = Decimal("-1")
    with pytest.raises(IntegrityError):
        import_enterprises(zone=zone, rows=result.rows, by=officer)
    assert counts(zone) == (0, 0, 0, 0)


def test_a_failure_while_linking_segments_writes_nothing(zone, chains, officer, monkeypatch):
    """The last step fails: enterprises, history and industry links are written by then, and
    the transaction takes them all back."""
    from gaoxin.enterprises import imports

    result = read(zone, sheet(50))
    written_before = []
    write_rows = imports.write_rows

    def fail(model, *args, **kwargs):
        if model is Enterprise.segments.through:
            written_before.append(counts(zone))
            raise IntegrityError("the disk is full")
        return write_rows(model, *args, **kwargs)

    monkeypatch.setattr(imports, "write_rows", fail)
    with pytest.raises(IntegrityError):
        import_enterprises(zone=zone, rows=result.rows, by=officer)
    monkeypatch.undo()
    enterprises, history, industry_links, _segment_links = written_before[0]
    assert enterprises == history == 50 and industry_links > 0
    assert counts(zone) == (0, 0, 0, 0)


def test_a_code_taken_since_the_preview_writes_nothing(zone, chains, officer):
    result = read(zone, sheet(20))
    enterprise_create(zone=zone, name="抢先企业", uscc=make_uscc(950_007))
    with pytest.raises(DomainError, match="抢先企业"):
        import_enterprises(zone=zone, rows=result.rows, by=officer)
    assert counts(zone)[:2] == (1, 1), "only the one created meanwhile"


def test_a_row_the_service_refuses_names_the_row(zone, chains, officer):
    result = read(zone, sheet(5))
    result.rows[3].values["name"] = "   "
    with pytest.raises(DomainError, match="Row 5: The enterprise name is required"):
        import_enterprises(zone=zone, rows=result.rows, by=officer)
    assert counts(zone) == (0, 0, 0, 0)


def queries_to_import(zone, count: int, by, start: int) -> int:
    result = read(zone, sheet(count, start=start))
    with CaptureQueriesContext(connection) as captured:
        import_enterprises(zone=zone, rows=result.rows, by=by)
    assert counts(zone)[0] >= count
    return len(captured)


@pytest.mark.parametrize("count", [10, 200])
def test_queries_do_not_grow_with_the_rows(
    zone, chains, officer, count, django_assert_max_num_queries
):
    # One check of the codes, then per table one id reservation and one COPY or prepared
    # INSERT per 10,000 rows (the enterprises and their history, their links, their 规上
    # spells and theirs), the savepoints around them: the same count for 10 and 200 rows.
    rows = read(zone, sheet(count)).rows
    with django_assert_max_num_queries(13):
        import_enterprises(zone=zone, rows=rows, by=officer)
    assert counts(zone)[:2] == (count, count)


def test_row_by_row_would_grow(zone, chains, officer):
    """The measure above can fail: the per-row path it replaced makes ~10 queries a row."""
    few = queries_to_import(zone, 10, officer, 960_000)
    result = read(zone, sheet(10, start=970_000))
    with CaptureQueriesContext(connection) as captured:
        import_row_by_row(zone, result, officer)
    assert len(captured) > 5 * few


def test_export_of_imported_rows_matches_their_records(zone, chains, officer):
    """The list's export reads tuples and one query of industries; each line must still say
    what the enterprise's record says (industries in the industry system's order)."""
    import io

    from python_calamine import CalamineWorkbook

    import_enterprises(zone=zone, rows=read(zone, sheet(8)).rows, by=officer)
    Enterprise.objects.filter(uscc=make_uscc(950_002)).update(status=Enterprise.Status.CLOSED)
    client = Client()
    client.force_login(officer)
    response = client.get("/enterprises/", {"export": "xlsx", "sort": "name"})
    lines = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    by_code = {line[2]: line for line in lines.to_python()[2:]}
    assert len(by_code) == 8
    for e in Enterprise.objects.filter(zone=zone).prefetch_related("industries"):
        line = by_code[e.uscc]
        assert line[0] == e.name
        assert line[3] == "、".join(i.name for i in e.industries.all())
        assert line[9] == ("是" if e.is_above_scale else "否")
        assert line[14] == e.get_status_display()


def test_query_count_is_the_same_for_few_rows_and_many(zone, chains, officer):
    few = queries_to_import(zone, 10, officer, 960_000)
    many = queries_to_import(zone, 300, officer, 970_000)
    assert few == many
