"""The synthetic-data generator: valid codes, stage paths consistent with the stored stage,
figures that agree with plain counts, spaces within their area, refusal and determinism."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.demo.generate import generate
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.projects.models import Project, StageChange
from gaoxin.projects.stages import LEASING_STAGES
from gaoxin.spaces.models import Space

pytestmark = pytest.mark.django_db

SMALL = {"enterprises": 300, "projects": 80, "zones": 2}


def test_generate_builds_a_consistent_set() -> None:
    counts = generate(**SMALL, seed=7, prefix="gt")
    zone_ids = list(Zone.objects.filter(code__startswith="gt").values_list("pk", flat=True))
    assert len(zone_ids) == 2
    assert counts["enterprises.Enterprise"] == 300
    assert counts["projects.Project"] == 80
    assert Enterprise.objects.filter(zone__in=zone_ids).count() == 300
    assert Project.objects.filter(zone__in=zone_ids).count() == 80
    assert counts["projects.StageChange"] == StageChange.objects.count()

    for code, initials in Enterprise.objects.values_list("uscc", "name_initials"):
        assert validate_uscc(code) == code
        assert initials

    changes: dict[int, list[StageChange]] = {}
    for change in StageChange.objects.order_by("project", "on", "pk"):
        changes.setdefault(change.project_id, []).append(change)
    for project in Project.objects.filter(zone__in=zone_ids):
        history = changes[project.pk]
        assert history[-1].to_stage == project.stage
        assert history[-1].on == project.stage_on
        days = [c.on for c in history]
        assert days == sorted(days)

    scope = MetricScope.of(zone_ids)
    signed = Project.objects.filter(zone__in=zone_ids, stage="signed").count()
    assert registry.get("projects.current.signed").value(scope) == signed
    assert registry.get("projects.reached.signed").value(scope) >= signed
    planned = Project.objects.filter(zone__in=zone_ids, stage="planned").count()
    assert registry.get("projects.current.planned").value(scope) == planned
    assert registry.get("projects.reached.planned").value(scope) == 80

    assert not Space.objects.filter(leased_floor_area__gt=F("total_floor_area")).exists()
    for space in Space.objects.filter(zone__in=zone_ids):
        tenants = space.projects.filter(stage__in=LEASING_STAGES)
        assert space.leased_floor_area == sum(p.floor_area for p in tenants)


def test_second_run_with_the_same_prefix_is_refused() -> None:
    call_command("generate", enterprises=20, projects=5, zones=1, prefix="gr", stdout=io.StringIO())
    with pytest.raises(CommandError, match="exist"):
        call_command(
            "generate", enterprises=20, projects=5, zones=1, prefix="gr", stdout=io.StringIO()
        )


def test_same_seed_gives_the_same_set() -> None:
    first = generate(**SMALL, seed=3, prefix="da")
    second = generate(**SMALL, seed=3, prefix="db")
    assert first == second

    def stages(prefix: str) -> list[tuple[str, str]]:
        return list(
            Project.objects.filter(zone__code__startswith=prefix)
            .order_by("pk")
            .values_list("stage", "carrier")
        )

    assert stages("da") == stages("db")


def test_generated_spaces_count_in_the_space_figures(db) -> None:
    from gaoxin.accounts.models import Zone
    from gaoxin.core.metrics import MetricScope, registry
    from gaoxin.demo.generate import generate
    from gaoxin.spaces.models import Space

    generate(enterprises=120, projects=60, zones=1, prefix="spc", seed=3)
    zone_ids = list(Zone.objects.filter(code__startswith="spc").values_list("pk", flat=True))
    assert (
        registry.get("spaces.count").value(MetricScope.of(zone_ids))
        == Space.objects.filter(zone_id__in=zone_ids).count()
        > 0
    )


def test_generated_figures_are_monthly_and_add_up() -> None:
    """The economy part: 36 months; the bureau's 规上 figures with 1–2月 as one period and
    cumulatives that the month values add up to; self-reports with their figures; one row in
    effect per figure."""
    from collections import defaultdict

    from gaoxin.economy.models import FigureValue, ImportBatch, SelfReport

    counts = generate(enterprises=400, projects=20, zones=1, prefix="eco", seed=5)
    zone = Zone.objects.get(code="eco1")
    rows = list(FigureValue.objects.filter(zone=zone))
    assert counts["economy.FigureValue"] == len(rows) > 0
    assert all(r.in_effect and r.known_until is None for r in rows)
    months = {(r.year, m) for r in rows for m in r.period.months}
    assert len(months) == 36
    bureau = [r for r in rows if r.source == "bureau"]
    above = set(
        Enterprise.objects.filter(zone=zone, is_above_scale=True).values_list("pk", flat=True)
    )
    assert bureau and {r.enterprise_id for r in bureau} <= above
    assert not any(r.month == 1 for r in bureau)  # published with February as 1–2月
    assert any(r.first_month == 1 and r.month == 2 for r in bureau)
    assert ImportBatch.objects.filter(zone=zone).count() == len({r.period for r in bureau})
    added: dict[tuple[int, int, int], list[FigureValue]] = defaultdict(list)
    for row in rows:
        added[(row.enterprise_id, row.indicator_id, row.year)].append(row)
    for group in added.values():
        for row in group:
            if row.cumulative is not None:
                assert sum(r.amount for r in group if r.month <= row.month) == row.cumulative
    own = [r for r in rows if r.source == "self"]
    reports = SelfReport.objects.filter(enterprise__zone=zone)
    assert own and not {r.enterprise_id for r in own} & {r.enterprise_id for r in bureau}
    assert {(r.enterprise_id, r.year, r.month) for r in own} == {
        (r.enterprise_id, r.year, r.month) for r in reports
    }
    late = [r for r in reports if timezone.localtime(r.submitted_at).day > 10]
    assert late and len(late) < reports.count() / 2


def test_a_province_can_go_without_the_economy() -> None:
    """--economy-months 0 (a province's million enterprises would be some 45 million figure
    rows): the registry and projects as usual, no figures, no reports; fewer months draw
    fewer figures."""
    from gaoxin.economy.models import FigureValue, SelfReport

    none = generate(enterprises=60, projects=10, zones=1, prefix="noeco", seed=5, economy_months=0)
    some = generate(enterprises=60, projects=10, zones=1, prefix="feweco", seed=5, economy_months=3)
    assert none["enterprises.Enterprise"] == some["enterprises.Enterprise"] == 60
    assert not FigureValue.objects.filter(zone__code="noeco1").exists()
    assert not SelfReport.objects.filter(enterprise__zone__code="noeco1").exists()
    months = set(
        FigureValue.objects.filter(zone__code="feweco1").values_list("year", "month").distinct()
    )
    assert 0 < len(months) <= 3


@pytest.mark.parametrize("months", ["-1", "241", "1000", "100000"])
def test_economy_months_out_of_range_are_refused_before_anything_is_written(months) -> None:
    """A negative count, or so many months that the figures would run back before the
    enterprises (100000 ended in an IntegrityError traceback: a year the database refuses), is
    refused with the option's name and its range."""
    with pytest.raises(CommandError, match=r"--economy-months must be between 0 and 240"):
        call_command(
            "generate",
            *("--enterprises", "5", "--projects", "1", "--zones", "1", "--prefix", "range"),
            *("--economy-months", months),
            stdout=io.StringIO(),
        )
    assert not Zone.objects.filter(code__startswith="range").exists()


def test_economy_months_must_be_a_number() -> None:
    with pytest.raises(CommandError, match="--economy-months: invalid int value: 'abc'"):
        call_command("generate", "--economy-months", "abc", stdout=io.StringIO())
