"""Policy briefings (政策宣讲会): the services, the attendance (picked, removed, imported from a
sign-in sheet), the pages and the figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.core.errors import DomainError
from gaoxin.core.excel import write_workbook
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.policies import metrics, services  # noqa: F401  (metrics registers the figures)
from gaoxin.policies.attendance_import import read_signin_sheet
from gaoxin.policies.models import EventAttendance, PolicyEvent
from tests.factories import EnterpriseFactory, PolicyEventFactory, PolicyFactory, make_uscc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def briefing(zone, users):
    return services.event_create(
        zone=zone,
        by=users["officer"],
        title="软信及互联网业纾困政策宣讲会",
        held_on=dt.date(2023, 4, 20),
        place="高新区创新创业中心",
        policies=[PolicyFactory(zone=zone, title="软信纾困措施")],
    )


@pytest.fixture
def firms(zone, other_zone):
    return {
        "a": EnterpriseFactory(zone=zone, name="珠海甲科技有限公司", uscc=make_uscc(501)),
        "b": EnterpriseFactory(zone=zone, name="珠海乙软件有限公司", uscc=make_uscc(502)),
        "c": EnterpriseFactory(zone=zone, name="珠海丙储能有限公司", uscc=make_uscc(503)),
        "away": EnterpriseFactory(zone=other_zone, name="外区企业", uscc=make_uscc(504)),
    }


# --- services ------------------------------------------------------------------------------


def test_create_keeps_the_policies_and_who(briefing, users) -> None:
    assert [p.title for p in briefing.policies.all()] == ["软信纾困措施"]
    assert briefing.history.first().history_user == users["officer"]


def test_a_policy_of_another_zone_is_refused_and_nothing_is_written(
    zone, other_zone, users
) -> None:
    with pytest.raises(DomainError) as info:
        services.event_create(
            zone=zone,
            by=users["officer"],
            title="宣讲会",
            held_on=dt.date(2023, 4, 1),
            policies=[PolicyFactory(zone=other_zone)],
        )
    assert info.value.field == "policies"
    assert not PolicyEvent.objects.exists()


def test_update_changes_the_policies(briefing, zone, users) -> None:
    other = PolicyFactory(zone=zone, title="人才新政")
    services.event_update(event=briefing, by=users["admin"], place="线上", policies=[other])
    briefing.refresh_from_db()
    assert briefing.place == "线上"
    assert list(briefing.policies.all()) == [other]


def test_attendance_once_per_briefing_and_of_the_same_zone(briefing, firms, users) -> None:
    services.attendance_add(event=briefing, enterprise=firms["a"], people=3, by=users["officer"])
    with pytest.raises(DomainError, match="already recorded"):
        services.attendance_add(event=briefing, enterprise=firms["a"], by=users["officer"])
    with pytest.raises(DomainError, match="another zone"):
        services.attendance_add(event=briefing, enterprise=firms["away"], by=users["officer"])
    with pytest.raises(DomainError, match="At least one person"):
        services.attendance_add(
            event=briefing, enterprise=firms["b"], people=0, by=users["officer"]
        )
    assert list(briefing.attendances.values_list("enterprise__name", "people")) == [
        ("珠海甲科技有限公司", 3)
    ]


def test_removing_keeps_who_removed_it_in_the_history(briefing, firms, users) -> None:
    attendance = services.attendance_add(event=briefing, enterprise=firms["a"], by=users["officer"])
    services.attendance_remove(attendance=attendance, by=users["admin"])
    assert not briefing.attendances.exists()
    last = EventAttendance.history.order_by("-history_id").first()
    assert (last.history_type, last.history_user) == ("-", users["admin"])


# --- the sign-in sheet ---------------------------------------------------------------------


def sheet(rows, headers=("企业名称", "统一社会信用代码", "人数"), title="政策宣讲会签到表"):
    return write_workbook(list(headers), rows, title=title)


def test_a_good_sheet_records_every_enterprise(briefing, firms, users) -> None:
    content = sheet(
        [
            ["珠海甲科技有限公司", make_uscc(501), 2],  # by code
            ["珠海乙软件有限公司", "", ""],  # by exact name; one person
            ["随便写的名字", make_uscc(503).lower(), "3人"],  # the code wins over the name
        ]
    )
    parsed = read_signin_sheet(content)
    assert parsed.problems == []
    result = services.attendance_import(event=briefing, rows=parsed.rows, by=users["officer"])
    assert result.ok and result.created == 3
    assert dict(briefing.attendances.values_list("enterprise__name", "people")) == {
        "珠海甲科技有限公司": 2,
        "珠海乙软件有限公司": 1,
        "珠海丙储能有限公司": 3,
    }


def test_any_bad_row_writes_nothing_and_every_bad_row_is_named(briefing, firms, users) -> None:
    services.attendance_add(event=briefing, enterprise=firms["c"], by=users["officer"])
    content = sheet(
        [
            ["珠海甲科技有限公司", make_uscc(501), 2],  # row 3: fine on its own… but repeated
            ["不存在的公司", "", 1],  # row 4: unknown enterprise
            ["珠海乙软件有限公司", "91440400000000001X", 1],  # row 5: bad check character
            ["珠海甲科技有限公司", "", 1],  # row 6: the same enterprise again
            ["外区企业", make_uscc(504), 1],  # row 7: another zone's enterprise
            ["珠海丙储能有限公司", "", 1],  # row 8: already recorded
            ["珠海乙软件有限公司", "", "很多"],  # row 9: not a number
        ]
    )
    parsed = read_signin_sheet(content)
    result = services.attendance_import(
        event=briefing, rows=parsed.rows, by=users["officer"], headers=parsed.headers
    )
    assert not result.ok
    assert result.created == 0
    assert result.bad_rows == [3, 4, 5, 6, 7, 8, 9]
    assert list(briefing.attendances.values_list("enterprise_id", flat=True)) == [firms["c"].pk]
    text = "\n".join(str(p) for p in result.errors)
    assert "Row 4 · 企业名称: No enterprise of this zone is named “不存在的公司”" in text
    assert "Row 5 · 统一社会信用代码: The check character" in text
    assert "rows 3、6" in text
    assert (
        f"Row 7 · 统一社会信用代码: No enterprise of this zone has the code {make_uscc(504)}"
        in text
    )
    assert "Row 8 · 企业名称: 珠海丙储能有限公司 is already recorded" in text
    assert "Row 9 · 人数" in text


def test_a_sheet_without_a_header_or_rows_is_explained(briefing) -> None:
    assert "No header row" in str(
        read_signin_sheet(sheet([["x", "y", "z"]], headers=("a", "b", "c"))).problems[0]
    )
    assert "no rows" in str(read_signin_sheet(sheet([])).problems[0])
    assert "cannot be read" in str(read_signin_sheet(b"not a workbook").problems[0])


def test_the_sheet_may_carry_other_columns_and_marked_headers(briefing, firms, users) -> None:
    content = sheet(
        [[1, "张三", "珠海甲科技有限公司", "2"]],
        headers=("序号", "姓名", "企业名称*", "参会人数（人）"),
    )
    parsed = read_signin_sheet(content)
    result = services.attendance_import(event=briefing, rows=parsed.rows, by=users["officer"])
    assert result.ok
    assert briefing.attendances.get().people == 2


def test_the_header_is_read_as_the_enterprise_import_reads_one(briefing) -> None:
    # Below titles, with a note in brackets and a slash: core/excel_read's header reading.
    content = sheet(
        [["珠海甲科技有限公司", "", 4]],
        headers=("企业名称（全称）", "统一社会信用代码", "人数/名"),
        title="第一场",
    )
    parsed = read_signin_sheet(content)
    assert parsed.problems == []
    assert parsed.headers == {
        "name": "企业名称(全称)",  # cleaned: full-width brackets made half-width
        "uscc": "统一社会信用代码",
        "people": "人数/名",
    }
    assert [(row.row, row.name, row.people) for row in parsed.rows] == [
        (3, "珠海甲科技有限公司", 4)
    ]


# --- pages ---------------------------------------------------------------------------------


def test_the_import_page_lists_the_bad_rows_and_records_nothing(client_as, briefing, firms) -> None:
    content = sheet([["珠海甲科技有限公司", "", 1], ["无名公司", "", 1]])
    response = client_as("officer").post(
        f"/policies/events/{briefing.pk}/attendances/import/",
        {"file": SimpleUploadedFile("签到表.xlsx", content)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded" in page
    assert "Rows with problems: 4" in page
    assert not briefing.attendances.exists()


def test_the_import_page_records_a_good_sheet(
    client_as, briefing, firms, django_capture_on_commit_callbacks
) -> None:
    """A sheet without problems is recorded by a background job, whose page it goes to."""
    content = sheet([["珠海甲科技有限公司", "", 1], ["珠海乙软件有限公司", "", 4]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("officer").post(
            f"/policies/events/{briefing.pk}/attendances/import/",
            {"file": SimpleUploadedFile("签到表.xlsx", content)},
        )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert sorted(briefing.attendances.values_list("enterprise__name", "people")) == [
        ("珠海乙软件有限公司", 4),
        ("珠海甲科技有限公司", 1),
    ]


def test_the_import_page_refuses_a_file_that_is_not_a_workbook(client_as, briefing) -> None:
    response = client_as("officer").post(
        f"/policies/events/{briefing.pk}/attendances/import/",
        {"file": SimpleUploadedFile("签到表.xlsx", b"MZ not a workbook")},
    )
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()


def test_the_template_reads_back_as_a_sign_in_sheet(client_as) -> None:
    response = client_as("officer").get("/policies/events/attendances/template/")
    parsed = read_signin_sheet(response.content)
    assert parsed.problems == []
    assert parsed.rows[0].name == "珠海示例科技有限公司"


def test_picking_an_enterprise_by_pinyin_records_it(client_as, briefing, firms) -> None:
    client = client_as("officer")
    url = f"/policies/events/{briefing.pk}/attendances/"
    response = client.post(url, {"enterprise": "zhjkj", "people": "2"}, follow=True)
    assert "珠海甲科技有限公司 was recorded as attending." in response.content.decode()
    response = client.post(url, {"enterprise": "珠海", "people": "1"}, follow=True)
    assert "matches several enterprises" in response.content.decode()
    response = client.post(url, {"enterprise": "外区企业", "people": "1"}, follow=True)
    assert "No enterprise of this zone matches" in response.content.decode()
    assert briefing.attendances.count() == 1


def test_removing_asks_first(client_as, briefing, firms) -> None:
    attendance = EventAttendance.objects.create(event=briefing, enterprise=firms["a"])
    client = client_as("officer")
    url = f"/policies/events/attendances/{attendance.pk}/remove/"
    page = client.get(url).content.decode()
    assert "Confirm: remove" in page
    assert client.post(url, {}).status_code == 200  # no confirmation: asked again
    assert EventAttendance.objects.filter(pk=attendance.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not EventAttendance.objects.filter(pk=attendance.pk).exists()


def test_enterprise_users_read_the_briefing_but_not_the_attendance(
    client_as, briefing, firms
) -> None:
    EventAttendance.objects.create(event=briefing, enterprise=firms["a"])
    page = client_as("enterprise").get(f"/policies/events/{briefing.pk}/").content.decode()
    assert "软信纾困措施" in page
    assert "珠海甲科技有限公司" not in page
    staff_page = client_as("leader").get(f"/policies/events/{briefing.pk}/").content.decode()
    assert "珠海甲科技有限公司" in staff_page
    assert "/remove/" not in staff_page


def test_an_officer_adds_a_briefing_with_the_policy_preselected(client_as, zone) -> None:
    policy = PolicyFactory(zone=zone)
    client = client_as("officer")
    page = client.get(f"/policies/events/new/?policy={policy.pk}")
    assert page.context["form"].initial["policies"] == [policy.pk]
    response = client.post(
        "/policies/events/new/",
        {"title": "宣讲会", "held_on": "2023-05-01", "policies": [policy.pk]},
    )
    event = PolicyEvent.objects.get()
    assert response.status_code == 302
    assert list(event.policies.all()) == [policy]


def test_the_briefing_form_names_what_is_wrong(client_as) -> None:
    response = client_as("officer").post("/policies/events/new/", {"title": "", "held_on": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "held_on"}


def many_briefings(zone, n=60):
    policies = [PolicyFactory(zone=zone) for _ in range(3)]
    firms = [EnterpriseFactory(zone=zone) for _ in range(4)]
    for i in range(n):
        event = PolicyEventFactory(zone=zone, held_on=dt.date(2023, 1, 1) + dt.timedelta(days=i))
        event.policies.set(policies[: 1 + i % 3])
        for firm in firms[: i % 4]:
            EventAttendance.objects.create(event=event, enterprise=firm, people=2)


def test_the_briefing_list_runs_a_bounded_number_of_queries(
    client_as, zone, django_assert_max_num_queries
) -> None:
    many_briefings(zone)
    client = client_as("officer")
    with django_assert_max_num_queries(16):
        response = client.get("/policies/events/", {"sort": "-held"})
    assert response.status_code == 200
    assert response.content.decode().count('class="name"') == 50
    assert response.context["page"].has_next()


def test_the_briefing_list_filters_by_policy_and_exports(client_as, briefing, firms) -> None:
    EventAttendance.objects.create(event=briefing, enterprise=firms["a"], people=3)
    other = PolicyEventFactory(zone=briefing.zone, title="人才政策宣讲会")
    client = client_as("department")
    policy = briefing.policies.get()
    response = client.get("/policies/events/", {"policy": policy.pk})
    assert [e.title for e in response.context["page"]] == [briefing.title]
    assert other.title in client.get("/policies/events/").content.decode()
    export = client.get("/policies/events/", {"policy": policy.pk, "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[2][0] == briefing.title
    assert rows[2][3] == "软信纾困措施"
    assert rows[2][4:6] == [1, 3]


# --- figures -------------------------------------------------------------------------------


def test_the_figures_go_by_the_day_a_briefing_was_held(zone, briefing, firms) -> None:
    later = PolicyEventFactory(zone=zone, held_on=dt.date(2023, 9, 1))
    EventAttendance.objects.create(event=briefing, enterprise=firms["a"], people=2)
    EventAttendance.objects.create(event=later, enterprise=firms["a"])
    EventAttendance.objects.create(event=later, enterprise=firms["b"])
    before = MetricScope.of([zone.pk], dt.date(2023, 6, 30))
    after = MetricScope.of([zone.pk], dt.date(2023, 12, 31))
    values = {
        key: (registry.get(key).value(before), registry.get(key).value(after))
        for key in (
            "policies.events",
            "policies.events.attending_enterprises",
            "policies.events.attendances",
        )
    }
    assert values == {
        "policies.events": (1, 2),
        "policies.events.attending_enterprises": (1, 2),
        "policies.events.attendances": (1, 3),
    }


def test_each_figure_on_the_list_clicks_through_to_its_records(client_as, briefing, firms) -> None:
    EventAttendance.objects.create(event=briefing, enterprise=firms["a"], people=2)
    client = client_as("officer")
    page = client.get("/policies/events/").content.decode()
    for key in (
        "policies.events",
        "policies.events.attending_enterprises",
        "policies.events.attendances",
    ):
        assert f"/metrics/{key}/" in page
        response = client.get(f"/metrics/{key}/")
        assert response.status_code == 200
        assert response.context["value"] == 1
    records = client.get("/metrics/policies.events.attendances/").content.decode()
    assert "珠海甲科技有限公司" in records
