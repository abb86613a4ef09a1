"""The leaders' dashboard's figures: every number is the value of a registered metric (or an
aggregate over one metric's records, grouped), and every number links to its records. The
numbers are read through one `core.figures.Figures` per page, so a metric shown in a tile and
a chart is asked once; the charts' specs are in charts.py.

Query count is bounded whatever the data's size: a fixed list of metrics, each one COUNT or
SUM; grouped charts are one aggregate query each; the campaigns, award batches and action-plan
targets shown are capped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from gaoxin.campaigns.models import AwardBatch, Campaign
from gaoxin.core.figures import Figures
from gaoxin.dashboard import charts, yoy
from gaoxin.dashboard import cultivation as cultivation_section
from gaoxin.dashboard import economy as economy_section
from gaoxin.policies.plan_selectors import MAX_TARGETS, action_plans_adopted, plan_progress

if TYPE_CHECKING:
    pass

MAX_CAMPAIGNS = 3
MAX_BATCHES = 3
MAX_PLANS = 5

PIPELINES = ("space", "all")


# --- tiles -------------------------------------------------------------------------------------


def tile_groups(figures: Figures) -> list[dict[str, Any]]:
    """The headline figures, in groups, each a link to its records."""
    groups = [
        (
            _("Space tenant projects (产业空间招商)"),
            [
                "projects.space.reached.signed",
                "projects.space.reached.registered",
                "projects.space.current.fitting_out",
                "projects.space.reached.in_production",
                "projects.space.signed.fixed_asset_investment",
                "projects.space.signed.expected_above_scale",
                "projects.space.signed.expected_output",
            ],
        ),
        (
            _("Industrial spaces (产业空间)"),
            [
                "spaces.count.building",
                "spaces.area.building",
                "spaces.area.total",
                "spaces.occupancy",
            ],
        ),
        (
            _("Enterprises (企业)"),
            [
                "enterprises.total",
                "enterprises.above_scale",
                "enterprises.designation.high_tech",
                "enterprises.designation.specialised_any",
            ],
        ),
        (
            _("Projects and approvals (项目与审批)"),
            [
                "projects.reached.signed",
                "projects.signed.fixed_asset_investment",
                "projects.land_to_construction.same_day",
                "projects.land_to_construction.average_days",
                "approvals.overdue",
                "blockers.open",
                "blockers.overdue",
                "leads.open",
            ],
        ),
    ]
    year_ago = yoy.figures_a_year_before(figures)
    return [
        {
            "title": title,
            "figures": found,
            "yoy": {f.key: yoy.year_on_year(f, year_ago.get(f.key)) for f in found},
        }
        for title, keys in groups
        if (found := figures.many(keys))
    ]


def campaign_figures(figures: Figures) -> list[dict[str, Any]]:
    """The latest campaigns opened by the day: enterprises applying and approved."""
    scope = figures.scope

    def latest() -> list[tuple[str, str]]:
        campaigns = Campaign.objects.filter(
            zone_id__in=scope.zone_ids, opens_on__lte=scope.as_of
        ).order_by("-opens_on", "-pk")[:MAX_CAMPAIGNS]
        return [(c.code or str(c.pk), c.name) for c in campaigns.only("pk", "code", "name")]

    rows = []
    for param, name in figures.cached("dashboard.campaigns", latest):
        rows.append(
            {
                "name": name,
                "applying": figures.get(f"campaigns.applying.{param}"),
                "approved": figures.get(f"campaigns.approved.{param}"),
            }
        )
    return rows


def award_figures(figures: Figures) -> dict[str, Any]:
    """Awards paid in all, and for the latest batches: paid, and the enterprises paid."""
    scope = figures.scope

    def latest() -> list[tuple[str, str]]:
        batches = AwardBatch.objects.filter(zone_id__in=scope.zone_ids).order_by("-pk")
        return [
            (b.code or str(b.pk), b.name) for b in batches.only("pk", "code", "name")[:MAX_BATCHES]
        ]

    rows = []
    for param, name in figures.cached("dashboard.award_batches", latest):
        rows.append(
            {
                "name": name,
                "paid": figures.get(f"awards.paid.{param}"),
                "enterprises": figures.get(f"awards.paid_enterprises.{param}"),
            }
        )
    return {
        "paid": figures.get("awards.paid"),
        "enterprises": figures.get("awards.paid_enterprises"),
        "batches": rows,
    }


# --- action plans ------------------------------------------------------------------------------


def action_plans(figures: Figures) -> list[dict[str, Any]]:
    """The plans of the zones adopted by the day, each with its targets' progress (capped)."""
    return plan_progress(
        action_plans_adopted(figures.scope, limit=MAX_PLANS),
        as_of=figures.scope.as_of,
        allowed_zone_ids=figures.allowed_zone_ids,
        max_targets=MAX_TARGETS,
    )


# --- the whole page ----------------------------------------------------------------------------


def dashboard(figures: Figures, pipeline: str = "space") -> dict[str, Any]:
    if pipeline not in PIPELINES:
        pipeline = "space"
    return {
        "pipeline": pipeline,
        "tile_groups": tile_groups(figures),
        "economy": economy_section.section(figures),
        "cultivation": cultivation_section.section(figures),
        "funnel": charts.funnel(figures, pipeline),
        "industry": charts.by_industry(figures, pipeline),
        "spaces": charts.spaces(figures),
        "work": charts.work(figures),
        "designations": charts.designations(figures),
        "campaigns": campaign_figures(figures),
        "awards": award_figures(figures),
        "plans": action_plans(figures),
    }
