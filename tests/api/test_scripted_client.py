"""A script drives the API from end to end, as a zone's own script or the city's feed would:
it creates an enterprise, posts three months of its figures, advances a project, then reads
figures with their records, and every value it reads is the one the pages show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from gaoxin.economy.periods import Period
from tests.api.conftest import ApiClient, make_token
from tests.factories import IndustryFactory, ProjectFactory, make_uscc


def _page_context(user: Any, url: str, **params: Any) -> Any:
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _every_record(api: ApiClient, key: str) -> list[dict[str, Any]]:
    body = api.get(f"/api/v1/metrics/{key}", page_size=2).json()
    found = list(body["records"]["results"])
    url = body["records"]["next"]
    while url:
        page = api.client.get(url, headers=api.headers).json()["records"]
        found.extend(page["results"])
        url = page["next"]
    return found


def _months_before(day: dt.date, count: int) -> list[Period]:
    """The `count` months that ended before `day`'s month, oldest first."""
    index = day.year * 12 + day.month - 1
    return [Period.of(i // 12, i % 12 + 1) for i in range(index - count, index)]


def test_a_script_creates_reports_advances_and_reads_what_the_pages_show(users, zone) -> None:
    officer = users["officer"]
    api = ApiClient(make_token(officer, name="区经发局脚本"))
    industry = IndustryFactory(zone=zone, name="储能")
    project = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="negotiating",
        stage_on=dt.date(2023, 3, 1),
        name="储能电池项目",
    )

    # 1. An enterprise, created as the registry's form would.
    code = make_uscc(777_001)
    created = api.post(
        "/api/v1/enterprises/",
        {"name": "珠海示例储能科技有限公司", "uscc": code, "employees": 35},
    )
    assert created.status_code == 201, created.content
    enterprise = created.json()
    assert (enterprise["uscc"], enterprise["zone_id"]) == (code, zone.pk)

    # 2. Three months of 工业总产值 (the last three months that have ended), one feed a month.
    months = _months_before(timezone.localdate(), 3)
    amounts = [Decimal("1250000.00"), Decimal("1380000.50"), Decimal("990000.00")]
    for month, amount in zip(months, amounts, strict=True):
        posted = api.post(
            "/api/v1/economy/figures",
            {
                "period": month.key,
                "source": "bureau",
                "rows": [{"uscc": code, "indicator": "output", "value": str(amount)}],
            },
        )
        assert posted.status_code in (200, 201), posted.content
    figures = api.get(
        "/api/v1/economy/figures", enterprise=enterprise["id"], indicator="output"
    ).json()["results"]
    assert sorted((f["period"], Decimal(f["amount"])) for f in figures) == sorted(
        (m.key, a) for m, a in zip(months, amounts, strict=True)
    )

    # 3. The project advanced to 签约 with the version the script read.
    read = api.get(f"/api/v1/projects/{project.pk}").json()
    advanced = api.post(
        f"/api/v1/projects/{project.pk}/advance",
        {"to_stage": "signed", "on": "2023-04-10", "version": read["version"]},
    )
    assert advanced.status_code == 200, advanced.content
    assert advanced.json()["stage"] == "signed"
    # The same version again is a stale write: refused, and nothing changes.
    again = api.post(
        f"/api/v1/projects/{project.pk}/advance",
        {"to_stage": "registered", "on": "2023-05-10", "version": read["version"]},
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"

    # 4. Figures with their records, as the metric pages show them.
    keys = ["enterprises.total", "projects.reached.signed", "economy.ytd.output"]
    for key in keys:
        body = api.get(f"/api/v1/metrics/{key}").json()
        page = _page_context(officer, f"/metrics/{key}/").context
        assert body["shown"] == page["shown"], key
        assert Decimal(str(body["value"])) == Decimal(str(page["value"])), key
        records = _every_record(api, key)
        assert sorted(r["id"] for r in records) == sorted(
            r.pk for r in page["page"].paginator.object_list
        ), key
    signed = {r["id"] for r in _every_record(api, "projects.reached.signed")}
    assert project.pk in signed
    everyone = {r["id"] for r in _every_record(api, "enterprises.total")}
    assert enterprise["id"] in everyone

    # The enterprise's page and the project's page show what the script wrote.
    enterprise_page = _page_context(officer, f"/enterprises/{enterprise['id']}/")
    assert "珠海示例储能科技有限公司" in enterprise_page.content.decode()
    project_page = _page_context(officer, f"/projects/{project.pk}/")
    assert project_page.context["project"].stage == "signed"

    # Every write names the script's token in the records' history.
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project

    for record in (
        Enterprise.objects.get(pk=enterprise["id"]),
        Project.objects.get(pk=project.pk),
    ):
        assert "区经发局脚本" in record.history.first().history_change_reason
