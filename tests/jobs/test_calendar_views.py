"""The working-day calendar's pages: the staff read a year (what comes from the library, what
was entered, by whom), an administrator enters a notice's holiday or corrects a day and takes
entered days away after a confirmation; the forms say what is wrong; a due date on a day off
is marked on the blocker list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from gaoxin.jobs import calendar_services, workdays
from gaoxin.jobs.models import CalendarDay
from gaoxin.projects.models import Blocker
from tests.factories import DepartmentFactory, ProjectFactory

D = dt.date
NOTICE = "国办发明电〔2026〕9号"


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def _period(client, **fields):
    data = {
        "name": "国庆节",
        "first": "2027-10-01",
        "last": "2027-10-07",
        "makeup_days": "2027-09-26, 2027-10-09",
        "source": NOTICE,
        **fields,
    }
    return client.post("/jobs/calendar/holidays/new/", data)


def test_the_year_page_shows_the_librarys_days_to_an_officer(client_as, users):
    page = client_as("officer").get("/jobs/calendar/", {"year": "2026"}).content.decode()
    assert "2026-02-17" in page and "春节" in page
    assert "2026-02-14" in page and "调休上班" in page
    assert "2026-10-01" in page and "国庆节" in page
    assert "chinese-calendar" in page
    # Reading is all an officer may do.
    assert "/jobs/calendar/holidays/new/" not in page
    assert "尚未录入" not in page


def test_an_admin_is_warned_of_next_year_and_enters_its_notice(client_as, users):
    admin = client_as("admin")
    page = admin.get("/jobs/calendar/", {"year": "2027"}).content.decode()
    assert "2027年的放假安排尚未录入" in page
    assert "/jobs/calendar/holidays/new/" in page

    response = _period(admin)
    assert response.status_code == 302
    assert response["Location"] == "/jobs/calendar/?year=2027"
    page = admin.get(response["Location"]).content.decode()
    assert "国庆节已录入：9天" in page
    assert "尚未录入" not in page
    assert NOTICE in page and users["admin"].display_name in page
    assert page.count("/delete/") == 9
    assert workdays.holiday_name(D(2027, 10, 4)) == "国庆节"
    assert workdays.is_workday(D(2027, 10, 9))


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"last": "2027-09-30"}, "结束日早于开始日"),
        ({"last": "2027-10-20"}, "一个假期最长15天"),
        ({"makeup_days": "2027-09-29"}, "2027-09-29是工作日"),
        ({"makeup_days": "2027-10-02"}, "2027-10-02在假期之内"),
        ({"makeup_days": "9月26日"}, "9月26日不是日期"),
        ({"first": "明天"}, "请按 YYYY-MM-DD 格式填写日期"),
        ({"source": ""}, "这个字段是必填项"),
    ],
)
def test_the_period_form_says_what_is_wrong(client_as, users, fields, shown):
    response = _period(client_as("admin"), **fields)
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_the_period_form_refuses_an_overlap_with_an_entered_holiday(client_as, users):
    admin = client_as("admin")
    assert _period(admin).status_code == 302
    response = _period(admin, name="中秋节", first="2027-09-30", last="2027-10-02", makeup_days="")
    assert response.status_code == 400
    assert "2027-10-01已录入（国庆节" in response.content.decode()
    assert CalendarDay.objects.count() == 9


def test_an_admin_corrects_a_library_day_and_the_page_says_what_the_library_said(client_as, users):
    admin = client_as("admin")
    response = admin.post(
        "/jobs/calendar/days/new/",
        {"day": "2026-09-25", "kind": "work", "name": "", "source": NOTICE},
    )
    assert response.status_code == 302
    page = admin.get("/jobs/calendar/", {"year": "2026"}).content.decode()
    assert "库中为：中秋节，放假" in page
    assert workdays.is_workday(D(2026, 9, 25))


def test_taking_entered_days_away_asks_first(client_as, users):
    admin = client_as("admin")
    _period(admin)
    day = CalendarDay.objects.get(day=D(2027, 10, 3))
    page = admin.get(f"/jobs/calendar/days/{day.pk}/delete/").content.decode()
    assert "2027-10-01" in page and "2027-10-09" in page  # the whole holiday is listed
    assert CalendarDay.objects.count() == 9  # nothing went on opening the page
    response = admin.post(f"/jobs/calendar/days/{day.pk}/delete/", {"what": "day"})
    assert response.status_code == 302
    assert CalendarDay.objects.count() == 8
    other = CalendarDay.objects.get(day=D(2027, 10, 1))
    admin.post(f"/jobs/calendar/days/{other.pk}/delete/", {"what": "period"})
    assert not CalendarDay.objects.exists()
    assert not workdays.year_known(2027)


@pytest.mark.parametrize("role", ["leader", "officer", "department", "enterprise", "outsider"])
def test_only_an_admin_writes(client_as, users, role):
    client = client_as(role)
    assert _period(client).status_code == 403
    row = CalendarDay.objects.create(
        day=D(2027, 5, 3), is_workday=False, name="劳动节", source=NOTICE
    )
    assert client.post(f"/jobs/calendar/days/{row.pk}/delete/", {"what": "day"}).status_code == 403
    assert (
        client.post(
            "/jobs/calendar/days/new/",
            {"day": "2027-05-04", "kind": "off", "name": "劳动节", "source": NOTICE},
        ).status_code
        == 403
    )
    assert list(CalendarDay.objects.all()) == [row]


def test_a_bad_year_is_refused(client_as, users):
    response = client_as("officer").get("/jobs/calendar/", {"year": "二〇二七"})
    assert response.status_code == 400
    assert "请输入年份，例如2027" in response.content.decode()


# --- the due dates ---------------------------------------------------------------------------


def test_the_blocker_list_marks_a_due_date_on_a_holiday(
    client_as, zone, users, django_assert_max_num_queries
):
    project = ProjectFactory(zone=zone, carrier="land", officer=users["officer"], name="储能项目")
    department = DepartmentFactory(zone=zone, name="供电局")
    for due_on, description in [
        (D(2026, 10, 2), "国庆期间到期"),
        (D(2026, 11, 28), "周末到期"),
        (D(2026, 11, 30), "工作日到期"),
        (D(2026, 2, 14), "调休日到期"),
    ]:
        Blocker.objects.create(
            project=project,
            stage=project.stage,
            description=description,
            department=department,
            raised_on=D(2026, 1, 5),
            due_on=due_on,
        )
    client = client_as("officer")
    client.get("/blockers/")  # the year is read once per process, then remembered
    with django_assert_max_num_queries(10):
        page = client.get("/blockers/").content.decode()
    assert page.count("badge-holiday") == 2
    assert "国庆节假期</span>" in page
    assert ">周末</span>" in page


def test_the_note_on_an_entered_holiday_and_nothing_on_a_working_day(users):
    from django.template import Context, Template

    calendar_services.calendar_period_enter(
        name="春节",
        first=D(2027, 2, 6),
        last=D(2027, 2, 13),
        makeup_days=[],
        source=NOTICE,
        by=users["admin"],
    )
    template = Template("{% load workdays %}[{{ day|holiday_note }}]")
    assert "春节假期" in template.render(Context({"day": D(2027, 2, 9)}))
    assert template.render(Context({"day": D(2027, 2, 15)})) == "[]"
    assert template.render(Context({"day": None})) == "[]"


def test_the_approval_list_marks_a_due_date_and_a_documents_deadline_on_days_off(
    client_as, zone, users
):
    from gaoxin.projects.models import Approval

    project = ProjectFactory(zone=zone, carrier="land", officer=users["officer"], name="储能项目")
    Approval.objects.create(
        project=project,
        name="施工许可证",
        department=users["department"].department,
        status="accepted_pending",
        started_on=D(2026, 1, 5),
        due_on=D(2026, 10, 5),  # 国庆节
        owed_documents="消防设计文件",
        owed_due_on=D(2026, 2, 18),  # 春节
    )
    page = client_as("officer").get("/approvals/").content.decode()
    assert "国庆节假期</span>" in page
    assert "春节假期</span>" in page
