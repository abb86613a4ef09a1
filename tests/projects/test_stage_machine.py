"""The project stage machine, walked by Hypothesis: random advances (with the evidence their
gating asks for), skips, terminations, moves back and reopenings are accepted; forbidden moves
are refused with a DomainError and change nothing; and after every step the stored stage, the
first-reached dates, the version and the stage metrics agree with the walk so far."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from gaoxin.core.errors import DomainError
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageChange
from gaoxin.projects.stages import BOARD_ORDER, PATHS, REACHED_FIELDS, Stage
from tests.factories import (
    IndustryFactory,
    ProjectFactory,
    SpaceFactory,
    UserFactory,
    ZoneFactory,
    make_uscc,
)

TODAY = dt.date.today()
# Far enough back that fifteen steps of up to twenty days never reach the future.
START = TODAY - dt.timedelta(days=800)
GATED = {Stage.SIGNED, Stage.REGISTERED, Stage.FITTING_OUT, Stage.LAND_ACQUIRED}
_codes = itertools.count(700_000_000)

FORBIDDEN = (
    "same stage",
    "off the path",
    "dated before the current stage",
    "dated in the future",
    "terminated without a reason",
    "moved back without a reason",
    "skipped without a reason",
    "gated stage without its evidence",
    "reopened past where it stopped",
)


def _snapshot(project: Project) -> tuple:
    project.refresh_from_db()
    return (
        project.stage,
        project.stage_on,
        project.version,
        project.enterprise_id,
        project.space_id,
        project.planned_investment,
        project.land_parcel_code,
        tuple(getattr(project, name) for name in REACHED_FIELDS.values()),
        StageChange.objects.filter(project=project).count(),
    )


class StageMachine(RuleBasedStateMachine):
    @initialize(carrier=st.sampled_from(["space", "land"]))
    def start(self, carrier: str) -> None:
        self.zone = ZoneFactory()
        self.officer = UserFactory(role="officer", zones=[self.zone])
        # No evidence yet: 签约 and later gated stages must wait for it.
        self.project = ProjectFactory(
            zone=self.zone,
            industry=IndustryFactory(zone=self.zone),
            officer=self.officer,
            carrier=carrier,
            stage=Stage.PLANNED,
            stage_on=START,
            planned_investment=None,
            fixed_asset_investment=None,
        )
        self.project.refresh_from_db()
        self.path = PATHS[carrier]
        self.carrier = carrier
        self.stage = Stage.PLANNED
        self.on = START
        self.held = Stage.PLANNED  # the stage before the last termination
        self.version = self.project.version
        self.evidenced = False
        self.uscc = make_uscc(next(_codes))

    # --- the model's view --------------------------------------------------------------------

    @property
    def terminated(self) -> bool:
        return self.stage == Stage.TERMINATED

    def position(self, stage: str) -> int:
        return self.path.index(stage)

    def evidence(self) -> dict:
        fields = {
            "planned_investment": 200_000_000,
            "fixed_asset_investment": 120_000_000,
            "uscc": self.uscc,
            "company_name": "状态机测试科技有限公司",
        }
        if self.carrier == "space":
            fields |= {"space": SpaceFactory(zone=self.zone), "floor_area": 3000}
        else:
            fields |= {
                "land_parcel_code": "ZH-GX-2023-001",
                "land_area": 50_000,
                "land_contract_on": START,
            }
        return fields

    def advance(self, to_stage: str, days: int, **extra) -> None:
        """A move the rules allow: accepted, and recorded in the model."""
        on = self.on + dt.timedelta(days=days)
        services.project_advance(
            project=self.project,
            by=self.officer,
            to_stage=to_stage,
            on=on,
            version=self.version,
            **extra,
        )
        if to_stage == Stage.TERMINATED:
            self.held = self.stage
        self.stage = Stage(to_stage)
        self.on = on
        self.version += 1
        if "uscc" in extra:
            self.evidenced = True

    # --- accepted moves ----------------------------------------------------------------------

    @precondition(lambda self: not self.terminated and self.stage != self.path[-1])
    @rule(steps=st.integers(1, 3), days=st.integers(0, 20))
    def move_on(self, steps: int, days: int) -> None:
        """The next stage, or one further on (a skip, with its reason), with the evidence."""
        target = self.path[min(self.position(self.stage) + steps, len(self.path) - 1)]
        self.advance(target, days, note="前期手续已齐备", **self.evidence())

    @precondition(lambda self: not self.terminated)
    @rule(days=st.integers(0, 20))
    def terminate(self, days: int) -> None:
        self.advance(Stage.TERMINATED, days, note="投资方战略调整")

    @precondition(lambda self: self.terminated or self.stage != self.path[0])
    @rule(steps=st.integers(1, 3), days=st.integers(0, 20))
    def move_back(self, steps: int, days: int) -> None:
        """Back along the path with a reason; a terminated project reopens where it stopped
        or earlier."""
        if self.terminated:
            target = self.path[max(self.position(self.held) - steps + 1, 0)]
        else:
            target = self.path[max(self.position(self.stage) - steps, 0)]
        self.advance(target, days, note="核查后退回")

    # --- refused moves -----------------------------------------------------------------------

    def gated_ahead(self) -> list[Stage]:
        if self.terminated or self.evidenced:
            return []
        return [s for s in self.path[self.position(self.stage) + 1 :] if s in GATED]

    def forbidden_moves(self) -> list[str]:
        """The forbidden moves that exist from here (each with the target it tries)."""
        position = None if self.terminated else self.position(self.stage)
        found = ["same stage", "off the path", "dated in the future"]
        if self.on > START:
            found.append("dated before the current stage")
        if position is not None:
            found.append("terminated without a reason")
        if position is None or position > 0:
            found.append("moved back without a reason")
        if position is not None and position + 2 < len(self.path):
            found.append("skipped without a reason")
        if self.gated_ahead():
            found.append("gated stage without its evidence")
        if position is None and self.position(self.held) + 1 < len(self.path):
            found.append("reopened past where it stopped")
        assert set(found) <= set(FORBIDDEN)
        return found

    @rule(data=st.data())
    def forbidden(self, data) -> None:
        kind = data.draw(st.sampled_from(self.forbidden_moves()), label="forbidden move")
        on, note, evidence = self.on, "理由", {}
        if kind == "same stage":
            target = self.stage
        elif kind == "off the path":
            target = Stage.LAND_ACQUIRED if self.carrier == "space" else Stage.FITTING_OUT
            evidence = self.evidence()
        elif kind in ("dated before the current stage", "dated in the future"):
            target = self.path[0] if self.terminated else Stage.TERMINATED
            if kind == "dated in the future":
                on = TODAY + dt.timedelta(days=1)
            else:
                on = self.on - dt.timedelta(days=1)
        elif kind == "terminated without a reason":
            target, note = Stage.TERMINATED, ""
        elif kind == "moved back without a reason":
            target, note = self.path[0], ""
        elif kind == "skipped without a reason":
            target, note = self.path[self.position(self.stage) + 2], ""
            evidence = self.evidence()
        elif kind == "gated stage without its evidence":
            target = self.gated_ahead()[0]
        else:  # reopened past where it stopped
            target = self.path[self.position(self.held) + 1]
        before = _snapshot(self.project)
        with pytest.raises(DomainError):
            services.project_advance(
                project=self.project,
                by=self.officer,
                to_stage=target,
                on=on,
                version=self.version,
                note=note,
                **evidence,
            )
        assert _snapshot(self.project) == before, kind

    # --- what must hold after every step -----------------------------------------------------

    @invariant()
    def the_stage_is_the_latest_change(self) -> None:
        self.project.refresh_from_db()
        latest = StageChange.objects.filter(project=self.project).order_by("-on", "-pk").first()
        assert (self.project.stage, self.project.stage_on) == (latest.to_stage, latest.on)
        assert (self.project.stage, self.project.stage_on) == (self.stage, self.on)

    @invariant()
    def the_version_counts_the_accepted_writes(self) -> None:
        self.project.refresh_from_db()
        assert self.project.version == self.version

    @invariant()
    def reached_dates_are_the_first_change_into_the_stage_or_beyond(self) -> None:
        self.project.refresh_from_db()
        changes = list(
            StageChange.objects.filter(project=self.project).values_list("to_stage", "on")
        )
        for stage in BOARD_ORDER:
            expected = None
            if stage in self.path:
                days = [
                    on
                    for to_stage, on in changes
                    if to_stage in self.path and self.position(to_stage) >= self.position(stage)
                ]
                expected = min(days, default=None)
            assert getattr(self.project, REACHED_FIELDS[stage]) == expected, stage

    @invariant()
    def the_stage_metrics_agree_with_the_record(self) -> None:
        self.project.refresh_from_db()
        scope = MetricScope.of([self.zone.pk], TODAY)
        for stage in BOARD_ORDER:
            reached = getattr(self.project, REACHED_FIELDS[stage]) is not None
            assert registry.get(f"projects.reached.{stage}").value(scope) == int(reached), stage
        for stage in (*BOARD_ORDER, Stage.TERMINATED):
            current = self.project.stage == stage
            assert registry.get(f"projects.current.{stage}").value(scope) == int(current), stage


@pytest.mark.django_db
def test_the_stage_machine_keeps_its_rules_and_its_records() -> None:
    run_state_machine_as_test(
        StageMachine,
        settings=settings(max_examples=30, stateful_step_count=15, deadline=None),
    )
