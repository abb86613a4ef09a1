"""The rules page: the 规上 thresholds by section with the row in force today, and the
designation criteria by kind and version with their documents and confirmed flags."""

from __future__ import annotations

import pytest

from gaoxin.cultivation.models import DesignationCriteria, ScaleThreshold
from gaoxin.cultivation.rule_tables import criteria_by_kind, threshold_sections

pytestmark = pytest.mark.django_db

URL = "/cultivation/designations/rules/"


def test_thresholds_by_section_with_the_row_in_force(client_as) -> None:
    import datetime as dt

    sections = {s.code: s for s in threshold_sections(dt.date(2026, 6, 1))}
    industry = sections["C"].rows
    assert [row.rule.effective_from.year for row in industry] == [2011, 2007]
    assert [row.in_force for row in industry] == [True, False]
    assert industry[0].amount == "2000" and industry[1].amount == "500"
    old = {s.code: s for s in threshold_sections(dt.date(2010, 6, 1))}["C"].rows
    assert [row.in_force for row in old] == [False, True]
    assert [row.superseded for row in old] == [False, False]  # 2011's is in the future then
    retail = [row for row in sections["F"].rows if row.rule.divisions == "52"]
    assert retail[-1].head_count and "60" in retail[-1].head_count
    assert retail[-1].date_unchecked
    response = client_as("leader").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for rule in ScaleThreshold.objects.all():
        assert rule.document in html
    assert "admin/cultivation/designationcriteria" not in html


def test_criteria_by_kind_and_version(client_as) -> None:
    import datetime as dt

    kinds = {group.kind: group for group in criteria_by_kind(dt.date(2026, 6, 1))}
    specialised = kinds["specialised_sme"].rows
    assert [row.rule.effective_from.year for row in specialised] == [2026, 2022]
    assert [row.in_force for row in specialised] == [True, False]
    assert specialised[0].rule.confirmed is False
    high_tech = kinds["high_tech"].rows
    assert [band["percent"] for band in high_tech[0].bands] == ["5", "4", "3"]
    assert high_tech[0].bands[1] == {
        "from_wan": "5000",
        "from_exclusive": True,
        "below_wan": "20000",
        "inclusive": True,
        "percent": "4",
    }
    assert high_tech[1].bands[0]["inclusive"] is False  # 2008: "小于5,000万元"
    html = client_as("leader").get(URL).content.decode()
    assert "≤ 5000万元" in html and "&gt; 20000万元" in html and "&lt; 5000万元" in html
    html = client_as("admin").get(URL).content.decode()
    for rule in DesignationCriteria.objects.all():
        assert rule.document in html
    assert "admin/cultivation/designationcriteria" in html
