"""`gaoxin generate`: fill new zones with realistic synthetic data, fast, for load tests.

Everything is written through `bulk_create` in batches (no per-row services), inside one
transaction. Generated data therefore has NO change history (no django-simple-history rows):
it is for measuring lists, figures and searches at scale, not for auditing. The derived fields
the services would keep are set here directly and consistently: Project.stage/stage_on equal
the latest StageChange, Space.leased_floor_area is the floor area of its signed, not
terminated tenants, Enterprise.name_initials holds the pinyin initials.

The same seed gives the same data (random.Random(seed)); dates end on a fixed day so that a
run today and a run next month agree. The generator is built of one part per concern, in
demo/synthetic/: the registry, the projects, the campaigns, the economy's monthly figures and
what the cultivation radars read (land, 亩均 cut-offs, 创新型中小企业).
"""

from __future__ import annotations

import re
from random import Random

from django.db import connection, transaction
from tqdm import tqdm

from gaoxin.accounts.models import Zone
from gaoxin.demo.synthetic.base import bulk
from gaoxin.demo.synthetic.campaigns import CampaignsPart
from gaoxin.demo.synthetic.economy import MONTHS as ECONOMY_MONTHS
from gaoxin.demo.synthetic.economy import EconomyPart
from gaoxin.demo.synthetic.projects import ProjectsPart
from gaoxin.demo.synthetic.registry import RegistryPart

USCC_BASE = 1_000_000  # the seed scenario uses serials below this
USCC_STRIDE = 200_000  # a run of up to this many enterprises never meets another seed's


class GenerateError(Exception):
    """The generator refuses; the message says why."""


MAX_ECONOMY_MONTHS = 240


def generate(
    *,
    enterprises: int,
    projects: int,
    seed: int = 1,
    zones: int = 3,
    prefix: str = "gen",
    progress: bool = False,
    economy_months: int = ECONOMY_MONTHS,
) -> dict[str, int]:
    """Create `zones` new zones (codes f"{prefix}1" …) and fill them; return rows per model.

    `economy_months` is how many months of the economy's figures to draw (0: none). The
    figures are about 55 rows per enterprise over 36 months, so at a province's million
    enterprises the default would be some 55 million rows: hours on a small machine."""
    if zones < 1 or enterprises < 0 or projects < 0:
        raise GenerateError("zones must be at least 1 and the counts not negative.")
    if not 0 <= economy_months <= MAX_ECONOMY_MONTHS:
        # Past twenty years the months run back before the enterprises' founding (and, far
        # enough, before the periods a figure may have): nothing a load test needs.
        raise GenerateError(
            f"--economy-months must be between 0 and {MAX_ECONOMY_MONTHS} (twenty years), "
            f"not {economy_months}."
        )
    if not re.fullmatch(r"[a-z][a-z0-9-]*", prefix):
        raise GenerateError("The prefix must be lower-case letters, digits and dashes.")
    pattern = rf"^{re.escape(prefix)}[0-9]+$"
    if Zone.objects.filter(code__regex=pattern).exists():
        raise GenerateError(f"Zones with the prefix {prefix!r} exist already.")
    with (
        tqdm(total=enterprises + projects, disable=not progress, unit="row") as bar,
        transaction.atomic(),
    ):
        generator = _Generator(Random(seed), seed, prefix, bar)
        generator.economy_months = economy_months
        counts = generator.run(zones, enterprises, projects)
    analyze()
    return counts


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load, as both databases advise:
    without them SQLite guesses at the selectivity of each index and may read a zone's
    every row where a few index entries would do. On PostgreSQL VACUUM also marks the new
    pages all-visible, so that counts can be answered from the covering indexes alone."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


class _Generator(RegistryPart, ProjectsPart, CampaignsPart, EconomyPart):
    """The registry, the projects, the campaigns and the economy's figures, drawn in this
    order from one Random."""

    def run(self, zones: int, enterprises: int, projects: int) -> dict[str, int]:
        zone_rows = [
            Zone(code=f"{self.prefix}{i}", name=f"合成园区{self.prefix}{i}", short_name=f"合成{i}")
            for i in range(1, zones + 1)
        ]
        self.zones = bulk(Zone, zone_rows, self.counts)
        self.departments = {}
        self.officers = {}
        self.industries = {}
        self.segments = {}
        for zone in self.zones:
            self._staff(zone)
            self._industry_system(zone)
        per_zone = _split(enterprises, zones)
        self.enterprises = {}
        serial = USCC_BASE + (self.seed % 40) * USCC_STRIDE
        for zone, count in zip(self.zones, per_zone, strict=True):
            serial = self._enterprises(zone, count, serial)
        for zone, count in zip(self.zones, _split(projects, zones), strict=True):
            self._projects(zone, count)
            self._leads(zone, count // 4)
            self._campaign(zone)
        for zone in self.zones if self.economy_months else ():  # after the rest, so that
            self._economy(zone)  # the rest draws as it did before
        for zone in self.zones:  # land, 亩均 cut-offs, 创新型中小企业: a Random of its own
            self._cultivation(zone)
        return dict(sorted(self.counts.items()))


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
