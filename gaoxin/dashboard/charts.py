"""The plotly chart specs of the leaders' dashboard: projects by stage, by industry, the
spaces, the work in hand and the designations. Each bar is a figure read through
`core.figures.Figures` and carries the link to its records (`customdata`). Every chart is
horizontal bars with their values at the ends and round ticks (core/charts.py), and is given
to the template through `charts.present`: an empty state or a single number when a chart would
say nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from gaoxin.core import charts, formatting
from gaoxin.core.charts import COLOURS
from gaoxin.core.figures import Figures
from gaoxin.enterprises.models import DesignationKind
from gaoxin.projects.models import BlockerStatus
from gaoxin.projects.stages import BOARD_ORDER, Carrier, Stage, path_of
from gaoxin.spaces.models import Space

# The shared pieces of every chart (core/charts.py), under the names this module grew up with.
_layout = charts.layout
_count_axis = charts.count_axis
_bars = charts.bars
_money_scale = charts.money_scale
_present = charts.present


def _stages(pipeline: str) -> tuple[Stage, ...]:
    return path_of(Carrier.SPACE) if pipeline == "space" else BOARD_ORDER


def _prefix(pipeline: str) -> str:
    return "projects.space" if pipeline == "space" else "projects"


def funnel(figures: Figures, pipeline: str) -> dict[str, Any]:
    """Projects by stage: those that reached each stage, and those at it on the day."""
    prefix = _prefix(pipeline)
    rows: list[dict[str, Any]] = []
    for stage in _stages(pipeline):
        rows.append(
            {
                "label": str(stage.label),
                "reached": figures.get(f"{prefix}.reached.{stage.value}"),
                "current": figures.get(f"{prefix}.current.{stage.value}"),
            }
        )
    terminated = figures.get(f"{prefix}.current.{Stage.TERMINATED.value}")
    labels = [row["label"] for row in rows]
    reached = _bars(
        _("Reached the stage"),
        labels,
        [row["reached"].value for row in rows],
        [row["reached"].shown for row in rows],
        [row["reached"].url for row in rows],
        COLOURS["brand"],
        horizontal=True,
    )
    current = _bars(
        _("At the stage on the day"),
        labels,
        [row["current"].value for row in rows],
        [row["current"].shown for row in rows],
        [row["current"].url for row in rows],
        COLOURS["light"],
        horizontal=True,
    )
    layout = _layout(
        barmode="group",
        height=charts.bar_height(len(rows), 2),
        yaxis=charts.category_axis(),
        xaxis=_count_axis(reached["x"] + current["x"], headroom=charts.LABEL_HEADROOM),
    )
    return {
        "rows": rows,
        "terminated": terminated,
        "chart": _present(
            {"data": [reached, current], "layout": layout}, empty=_("No projects by this day.")
        ),
    }


def by_industry(figures: Figures, pipeline: str) -> dict[str, Any]:
    """Fixed-asset investment and expected output of the signed projects by industry: one
    aggregate query over the records of the fixed-asset-investment metric (the output
    metric's records are the same projects)."""
    prefix = "projects.space.signed" if pipeline == "space" else "projects.signed"
    fai = figures.get(f"{prefix}.fixed_asset_investment")
    output = figures.get(f"{prefix}.expected_output")
    grouped = figures.cached(
        f"dashboard.by_industry.{prefix}",
        lambda: list(
            figures.records(f"{prefix}.fixed_asset_investment")
            .order_by()
            .values("industry_id", "industry__name", "industry__short_name")
            .annotate(
                fai=Sum("fixed_asset_investment"),
                output=Sum("expected_annual_output"),
                projects=Count("pk"),
            )
            .order_by("-fai", "industry__name")
        ),
    )
    rows = []
    for row in grouped:
        # Each industry's cells open that industry's share of the figure, as of the day.
        fai_url = figures.url(f"{prefix}.fixed_asset_investment.industry.{row['industry_id']}")
        output_url = figures.url(f"{prefix}.expected_output.industry.{row['industry_id']}")
        rows.append(
            {
                # The short name where the industry has one (软信), as the tables show it.
                "name": row["industry__short_name"] or row["industry__name"],
                "fai": row["fai"] or Decimal(0),
                "output": row["output"] or Decimal(0),
                "fai_shown": formatting.money(row["fai"] or 0),
                "output_shown": formatting.money(row["output"] or 0),
                "projects": row["projects"],
                "url": fai_url,
                "output_url": output_url,
            }
        )
    scale, unit = _money_scale([r["fai"] for r in rows] + [r["output"] for r in rows])
    names = [r["name"] for r in rows]
    urls = [r["url"] for r in rows]
    data = [
        _bars(
            _("Fixed-asset investment"),
            names,
            [charts.scaled(r["fai"], scale) for r in rows],
            [r["fai_shown"] for r in rows],
            urls,
            COLOURS["brand"],
            horizontal=True,
        ),
        _bars(
            _("Expected annual output"),
            names,
            [charts.scaled(r["output"], scale) for r in rows],
            [r["output_shown"] for r in rows],
            [r["output_url"] for r in rows],
            COLOURS["ok"],
            horizontal=True,
        ),
    ]
    layout = _layout(
        barmode="group",
        height=charts.bar_height(len(rows), 2),
        yaxis=charts.category_axis(),
        xaxis=charts.value_axis(
            data[0]["x"] + data[1]["x"], title=unit, headroom=charts.LABEL_HEADROOM
        ),
    )
    return {
        "rows": rows,
        "fai": fai,
        "output": output,
        "chart": _present(
            {"data": data, "layout": layout}, empty=_("No signed projects by this day.")
        ),
    }


def spaces(figures: Figures) -> dict[str, Any]:
    """The spaces by status (count and floor area), the leased area and the occupancy."""
    rows: list[dict[str, Any]] = []
    for status in Space.Status:
        rows.append(
            {
                "label": str(status.label),
                "count": figures.get(f"spaces.count.{status.value}"),
                "area": figures.get(f"spaces.area.{status.value}"),
            }
        )
    leased = figures.get("spaces.area.leased")
    data = [
        _bars(
            _("Floor area (10 thousand m², 万平方米)"),
            [r["label"] for r in rows],
            [charts.scaled(r["area"].value, formatting.WAN) for r in rows],
            [r["area"].shown for r in rows],
            [r["area"].url for r in rows],
            COLOURS["brand"],
            horizontal=True,
        )
    ]
    layout = _layout(
        showlegend=False,
        height=charts.bar_height(len(rows)),
        yaxis=charts.category_axis(),
        xaxis=charts.value_axis(
            data[0]["x"], title=_("10 thousand m² (万平方米)"), headroom=charts.LABEL_HEADROOM
        ),
    )
    return {
        "rows": rows,
        "total": figures.get("spaces.area.total"),
        "count": figures.get("spaces.count"),
        "leased": leased,
        "occupancy": figures.get("spaces.occupancy"),
        "chart": _present(
            {"data": data, "layout": layout}, empty=_("No industrial spaces recorded by this day.")
        ),
    }


def work(figures: Figures) -> dict[str, Any]:
    """Open blockers by status (one aggregate over blockers.open's records) and overdue
    blockers and approvals by department (one aggregate each over blockers.overdue's and
    approvals.overdue's records)."""
    open_figure = figures.get("blockers.open")
    overdue_figure = figures.get("blockers.overdue")
    approvals_figure = figures.get("approvals.overdue")
    labels = dict(BlockerStatus.choices)
    # The grouped counts are cached (values, not labels: a status is named in the reader's
    # language when the page is built).
    by_status = [
        {"label": str(labels.get(status, status)), "count": n}
        for status, n in figures.cached(
            "dashboard.work.by_status",
            lambda: list(
                figures.records("blockers.open")
                .order_by()
                .values("status")
                .annotate(n=Count("pk"))
                .order_by("status")
                .values_list("status", "n")
            ),
        )
    ]
    departments: dict[int, dict[str, Any]] = {}
    for key, name in (("blockers", "blockers.overdue"), ("approvals", "approvals.overdue")):
        grouped = figures.cached(
            f"dashboard.work.by_department.{name}",
            lambda name=name: list(  # type: ignore[misc]
                figures.records(name)
                .order_by()
                .values("department_id", "department__name")
                .annotate(n=Count("pk"))
            ),
        )
        for row in grouped:
            entry = departments.setdefault(
                row["department_id"],
                {"name": row["department__name"], "blockers": 0, "approvals": 0},
            )
            entry[key] = row["n"]
            # Each department's count opens that department's share of the figure.
            entry[f"{key}_url"] = figures.url(f"{name}.department.{row['department_id']}")
    by_department = sorted(
        departments.values(), key=lambda d: (-(d["blockers"] + d["approvals"]), d["name"])
    )
    names = [d["name"] for d in by_department]
    status_chart = {
        "data": [
            _bars(
                _("Open blockers"),
                [r["label"] for r in by_status],
                [r["count"] for r in by_status],
                [str(r["count"]) for r in by_status],
                [open_figure.url if open_figure else ""] * len(by_status),
                COLOURS["warn"],
                horizontal=True,
            )
        ],
        "layout": _layout(
            showlegend=False,
            height=charts.bar_height(len(by_status)),
            yaxis=charts.category_axis(),
            xaxis=_count_axis([r["count"] for r in by_status], headroom=charts.LABEL_HEADROOM),
        ),
    }
    department_chart = {
        "data": [
            _bars(
                _("Overdue blockers"),
                names,
                [d["blockers"] for d in by_department],
                [str(d["blockers"]) for d in by_department],
                [d.get("blockers_url", "") for d in by_department],
                COLOURS["danger"],
                horizontal=True,
            ),
            _bars(
                _("Overdue approvals"),
                names,
                [d["approvals"] for d in by_department],
                [str(d["approvals"]) for d in by_department],
                [d.get("approvals_url", "") for d in by_department],
                COLOURS["warn"],
                horizontal=True,
            ),
        ],
        "layout": _layout(
            barmode="group",
            height=charts.bar_height(len(names), 2),
            yaxis=charts.category_axis(),
            xaxis=_count_axis(
                [n for d in by_department for n in (d["blockers"], d["approvals"])],
                headroom=charts.LABEL_HEADROOM,
            ),
        ),
    }
    return {
        "open": open_figure,
        "overdue": overdue_figure,
        "approvals_overdue": approvals_figure,
        "pending_documents": figures.get("approvals.pending_documents_overdue"),
        "by_status": by_status,
        "by_department": by_department,
        "status_chart": _present(status_chart, empty=_("No open blockers on the day.")),
        "department_chart": _present(department_chart, empty=_("Nothing overdue on the day.")),
    }


def designations(figures: Figures) -> dict[str, Any]:
    """Enterprises holding each designation on the day."""
    rows: list[dict[str, Any]] = [
        {"label": str(kind.label), "figure": figures.get(f"enterprises.designation.{kind.value}")}
        for kind in DesignationKind
    ]
    rows = [r for r in rows if r["figure"] is not None]
    chart = {
        "data": [
            _bars(
                _("Enterprises"),
                [r["label"] for r in rows],
                [r["figure"].value for r in rows],
                [r["figure"].shown for r in rows],
                [r["figure"].url for r in rows],
                COLOURS["brand"],
                horizontal=True,
            )
        ],
        "layout": _layout(
            showlegend=False,
            height=charts.bar_height(len(rows)),
            yaxis=charts.category_axis(),
            xaxis=_count_axis([r["figure"].value for r in rows], headroom=charts.LABEL_HEADROOM),
        ),
    }
    return {
        "rows": rows,
        "chart": _present(chart, empty=_("No enterprise holds a designation on the day.")),
    }
