"""Excel speed: importing N enterprises from an .xlsx (read, validate, write with history),
exporting N rows, and django-import-export on the same file and model in the same run.

The import's write is timed twice on the same rows, side by side: the path before issue 18
(django-simple-history's `bulk_create_with_history` and Django's `bulk_create`, kept here as
`write_before`) into a zone of its own, then today's (`write_enterprises`: COPY on
PostgreSQL, one prepared INSERT over all rows on SQLite, core/bulk.py). Each is also timed in
CPU seconds of this process, which on a busy machine says more than the clock (PostgreSQL's
own work is not in it); the load average is printed at the start and the end.

Run against any database that `gaoxin migrate` has set up:

    DATABASE_URL=sqlite:////tmp/excel-bench.sqlite3 .venv/bin/python bench/excel.py [--rows N]

The script writes a sheet of N realistic rows in the import template's columns, creates two
fresh zones (one for our import, one for django-import-export's, so the same USCCs fit both),
imports, exports and deletes every row it wrote at the end, history included. Each import runs
as the application runs it, so its commit is inside the timing. Prints Markdown tables and exits
non-zero when a row fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")

SEED = 7
USCC_SERIAL = 9_000_000  # "91440400MA" + 7 digits: far above what `gaoxin generate` uses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument(
        "--skip-before",
        action="store_true",
        help="do not time the write path before issue 18 (bulk_create_with_history)",
    )
    parser.add_argument(
        "--ie-bulk-rows",
        type=int,
        default=None,
        help="rows for django-import-export's bulk mode (default: all of --rows)",
    )
    parser.add_argument(
        "--ie-row-rows",
        type=int,
        default=5_000,
        help="rows for django-import-export's row-by-row mode, which writes M2M and history "
        "(default 5000; 0 skips it)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {args.rows:,} rows")
    print(f"load average at the start: {_load()}\n")
    bench = _Bench(args.rows)
    try:
        bench.setup()
        return bench.run(args)
    finally:
        bench.cleanup()


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


class _Clock:
    """Wall-clock and CPU seconds of this process since the last `lap()`."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        took = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return took


def write_before(enterprises: list[Any], chains: list[Any], by: Any) -> list[Any]:
    """The import's write before issue 18, as it was: simple-history's
    `bulk_create_with_history` for the enterprises and their history, `bulk_create` for the
    links, `bulk_create_with_history` for the 规上 spells (batches of 1,000, fewer rows per
    INSERT where SQLite allows fewer parameters)."""
    from simple_history.utils import bulk_create_with_history

    from gaoxin.enterprises.models import Enterprise, ScaleSpell
    from gaoxin.enterprises.services import first_spell

    batch = 1000
    created: list[Any] = bulk_create_with_history(
        enterprises, Enterprise, batch_size=batch, default_user=by
    )
    industry_link = Enterprise.industries.through
    segment_link = Enterprise.segments.through
    industry_link.objects.bulk_create(
        (
            industry_link(enterprise_id=e.pk, industry_id=i.pk)
            for e, (industries, _s) in zip(created, chains, strict=True)
            for i in industries
        ),
        batch_size=batch,
    )
    segment_link.objects.bulk_create(
        (
            segment_link(enterprise_id=e.pk, chainsegment_id=s.pk)
            for e, (_i, segments) in zip(created, chains, strict=True)
            for s in segments
        ),
        batch_size=batch,
    )
    spells = [spell for e in created if (spell := first_spell(e)) is not None]
    bulk_create_with_history(spells, ScaleSpell, batch_size=batch, default_user=by)
    return created


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds else "∞"


class _Bench:
    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.zones: list[Any] = []
        self.user: Any = None

    def setup(self) -> None:
        from gaoxin.accounts.models import User, Zone
        from gaoxin.core.roles import Role
        from gaoxin.demo.generate import _Generator

        tag = f"{os.getpid()}-{int(time.time())}"
        self.zones = Zone.objects.bulk_create(
            [
                Zone(code=f"xlb-ours-{tag}", name=f"Excel压测甲{tag}"),
                Zone(code=f"xlb-ie-{tag}", name=f"Excel压测乙{tag}"),
                Zone(code=f"xlb-before-{tag}", name=f"Excel压测丙{tag}"),
            ]
        )
        if self.zones[0].pk is None:  # a backend that returns no ids from bulk_create
            codes = [zone.code for zone in self.zones]
            by_code = Zone.objects.filter(code__endswith=tag).in_bulk(codes, field_name="code")
            self.zones = [by_code[code] for code in codes]
        self.user = User(username=f"xlb-{tag}", name="Excel压测专员", role=Role.OFFICER)
        self.user.set_unusable_password()
        self.user = User.objects.bulk_create([self.user])[0]
        if self.user.pk is None:
            self.user = User.objects.get(username=f"xlb-{tag}")
        User.zones.through.objects.bulk_create(
            [User.zones.through(user_id=self.user.pk, zone_id=self.zones[0].pk)]
        )  # the export reads the zone of today's import only
        # The synthetic generator's industry system (groups, industries, chain segments),
        # written by bulk_create like `gaoxin generate` does.
        self.generator = _Generator(Random(SEED), SEED, "xlb", bar=None)
        self.generator.industries, self.generator.segments = {}, {}
        for zone in self.zones:
            self.generator._industry_system(zone)

    # --- the sheet -----------------------------------------------------------------------

    def sheet_rows(self) -> Iterator[list[Any]]:
        from stdnum.cn import uscc as stdnum_uscc

        from gaoxin.demo.registry_data import CHAINS, PREFIXES, SUFFIX, WORDS
        from gaoxin.demo.synthetic.base import MIDDLE_WORDS

        gen = self.generator
        rng = gen.rng
        industries = [i.name for i in gen.industries[self.zones[0].pk]]
        for n in range(self.rows):
            industry = rng.choice(industries)
            chain = CHAINS.get(industry, [])
            segment = rng.choice(chain)[1] if chain and rng.random() < 0.7 else ""
            parts = [
                rng.choice(PREFIXES),
                rng.choice(WORDS),
                rng.choice(MIDDLE_WORDS),
                SUFFIX.get(industry, "科技"),
            ]
            number = f"{rng.randint(1, 999)}号" if rng.random() < 0.3 else ""
            body = f"91440400MA{USCC_SERIAL + n:07d}"
            settled = gen.day(dt.date(2005, 1, 1))
            above = rng.random() < 0.25
            yield [
                "".join(parts) + number + "有限公司",
                body + stdnum_uscc.calc_check_digit(body),
                parts[1] + parts[2],
                gen.person(),
                settled - dt.timedelta(days=rng.randint(0, 3650)),
                settled,
                rng.choice([100, 500, 1000, 2000, 5000, 12000]),  # 万元, as the header says
                rng.randint(5, 2000),
                f"{rng.choice(PREFIXES)}路{rng.randint(1, 999)}号",
                industry,
                segment,
                "是" if above else "否",
                rng.randint(max(settled.year, 2010), gen.end.year) if above else "",
                gen.person(),
                f"0756-{rng.randint(2_000_000, 8_999_999)}"
                if rng.random() < 0.5
                else f"13{rng.randint(100_000_000, 999_999_999)}",
                f"contact{n}@example.cn" if rng.random() < 0.7 else "",
            ]

    def write_sheets(self, directory: Path, subsets: list[int]) -> dict[int, Path]:
        """The whole sheet, and its first rows for each subset size, header on row 1."""
        from gaoxin.core.excel import write_workbook
        from gaoxin.enterprises.imports import TEMPLATE_HEADERS

        # Every column of the template, those the sheet leaves empty included (a reader such
        # as tablib wants rows as wide as the header).
        rows = [row + [""] * (len(TEMPLATE_HEADERS) - len(row)) for row in self.sheet_rows()]
        paths = {}
        for size in sorted({self.rows, *subsets}):
            path = directory / f"enterprises-{size}.xlsx"
            path.write_bytes(write_workbook(TEMPLATE_HEADERS, rows[:size], sheet_name="企业名录"))
            paths[size] = path
        return paths

    # --- the run -------------------------------------------------------------------------

    def run(self, args: argparse.Namespace) -> int:
        ie_bulk = min(args.ie_bulk_rows or self.rows, self.rows)
        ie_row = min(args.ie_row_rows, self.rows)
        subsets = [] if args.skip_import_export else [n for n in (ie_bulk, ie_row) if n]
        with tempfile.TemporaryDirectory(prefix="gaoxin-excel-") as tmp:
            paths, took = _timed(lambda: self.write_sheets(Path(tmp), subsets))
            size = paths[self.rows].stat().st_size
            print(f"sheet: {self.rows:,} rows, {size / 1e6:.1f} MB, written in {took:.1f} s\n")
            timings = self.import_ours(paths[self.rows], before=not args.skip_before)
            if timings is None:
                return 1
            export = self.export_ours()
            print("## Our import and export\n")
            print(
                "write = the enterprises, their industry and segment links, the 规上 spells and "
                "the history rows of both, with the commit; build = the rows checked and filled "
                "by enterprise_build (pinyin initials…); import = build + write "
                "(import_enterprises); CPU = this process's CPU seconds.\n"
            )
            print("| step | path | rows | seconds | CPU s | rows/s |")
            print("| --- | --- | ---: | ---: | ---: | ---: |")
            n = self.rows
            label = {"before": "before (bulk_create_with_history)", "new": "new (core/bulk.py)"}
            for step, path, (wall, cpu) in timings:
                print(
                    f"| {step} | {label[path]} | {n:,} | {wall:.2f} | {cpu:.2f} | "
                    f"{_rate(n, wall)} |"
                )
            print(f"| export (the list's .xlsx) | | {n:,} | {export:.2f} | | {_rate(n, export)} |")
            found = {(step, path): wall for step, path, (wall, _cpu) in timings}
            write = found[("write", "new")]
            imported = found[("import_enterprises", "new")]
            total = found[("import, together", "new")]
            if ("write", "before") in found:
                before = found[("write", "before")]
                print(f"\nthe write is {before / write:.1f}× as fast as before")
            print(f"load average at the end: {_load()}")
            verdict = "met" if n / write >= 10_000 else "MISSED"
            print(f"\nwrite target ≥ 10,000 rows/s: {verdict} ({_rate(n, write)} rows/s); ", end="")
            print(f"import_enterprises: {_rate(n, imported)} rows/s; ", end="")
            print(f"read + import: {_rate(n, total)} rows/s; ", end="")
            print(f"export target ≤ 5 s: {'met' if export <= 5 else 'MISSED'}\n")
            if args.skip_import_export:
                return 0
            return self.import_export(paths, ie_bulk, ie_row, total, export)

    def import_ours(
        self, path: Path, *, before: bool
    ) -> list[tuple[str, str, tuple[float, float]]] | None:
        """Read, build and write the sheet: today's path into the first zone, and first, when
        `before`, the path before issue 18 into a zone of its own. Each path's build and
        write run in one transaction, as import_enterprises runs them."""
        from django.db import transaction

        from gaoxin.enterprises.imports import (
            build_enterprises,
            read_enterprise_sheet,
            write_enterprises,
        )
        from gaoxin.enterprises.models import Enterprise

        paths = [("before", self.zones[2], write_before)] if before else []
        paths.append(("new", self.zones[0], write_enterprises))
        timings: list[tuple[str, str, tuple[float, float]]] = []
        for name, zone, write in paths:
            clock = _Clock()
            result = read_enterprise_sheet(zone, path)
            read = clock.lap()
            if result.errors:
                print(f"{len(result.errors)} problems, e.g.:")
                for problem in result.errors[:10]:
                    print(f"  {problem}")
                return None
            with transaction.atomic():
                enterprises, chains = build_enterprises(zone=zone, rows=result.rows, by=self.user)
                build = clock.lap()
                created = write(enterprises, chains, by=self.user)
            written = clock.lap()
            stored = Enterprise.objects.filter(zone=zone).count()
            history = Enterprise.history.filter(zone_id=zone.pk, history_user=self.user).count()
            if not len(created) == stored == history == self.rows:
                print(f"{name}: wrote {len(created)}, stored {stored}, history {history}")
                return None
            imported = (build[0] + written[0], build[1] + written[1])
            timings += [
                ("read + validate", name, read),
                ("build", name, build),
                ("write", name, written),
                ("import_enterprises", name, imported),
                ("import, together", name, (read[0] + imported[0], read[1] + imported[1])),
            ]
        order = ["read + validate", "build", "write", "import_enterprises", "import, together"]
        timings.sort(key=lambda t: order.index(t[0]))  # stable: before, then new, per step
        return timings

    def export_ours(self) -> float:
        """The list page's export: the view function itself, as /enterprises/?export=xlsx
        calls it for an officer whose zone holds the imported rows. Over
        GAOXIN_EXPORT_JOB_ROWS rows the page hands the export to a background job, whose worker
        calls the view again as the export's replay (core/exports.py REPLAY): that build is
        what is timed here, as the worker runs it."""
        from django.test import RequestFactory
        from python_calamine import CalamineWorkbook

        from gaoxin.core.exports import REPLAY
        from gaoxin.enterprises.views import enterprise_list

        class Rows:
            def update(self, *, written: int | None = None, total: int | None = None) -> None:
                pass

        request = RequestFactory().get("/enterprises/", {"export": "xlsx"})
        request.user = self.user
        request.htmx = False
        setattr(request, REPLAY, Rows())
        response, took = _timed(lambda: enterprise_list(request))
        assert response.status_code == 200, response.status_code
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
        lines = len(sheet.to_python()) - 2  # the title and the header
        assert lines == self.rows, f"the export has {lines} rows, not {self.rows}"
        return took

    # --- django-import-export --------------------------------------------------------------

    def import_export(
        self, paths: dict[int, Path], bulk_rows: int, row_rows: int, ours: float, export: float
    ) -> int:
        from import_export.formats.base_formats import XLSX

        from gaoxin.enterprises.models import Enterprise

        zone = self.zones[1]
        lines = []
        for mode, rows in (("bulk", bulk_rows), ("row", row_rows)):
            if not rows:
                continue
            self.delete_enterprises([zone.pk])
            resource = _resource_class(zone, bulk=mode == "bulk")()
            content = paths[rows].read_bytes()
            dataset, load = _timed(lambda: XLSX().create_dataset(content))  # noqa: B023
            result, write = _timed(
                lambda: resource.import_data(  # noqa: B023
                    dataset,  # noqa: B023
                    dry_run=False,
                    use_transactions=True,
                    raise_errors=False,
                )
            )
            if result.has_errors() or result.has_validation_errors():
                for error in result.base_errors[:5]:
                    print(f"django-import-export: {error.error!r}")
                for line, errors in result.row_errors()[:5]:
                    print(f"django-import-export, row {line}: {errors[0].error!r}")
                for invalid in result.invalid_rows[:5]:
                    print(f"django-import-export, row {invalid.number}: {invalid.error_dict}")
                return 1
            stored = Enterprise.objects.filter(zone=zone).count()
            if stored != rows:
                print(f"django-import-export ({mode}) stored {stored} of {rows} rows")
                return 1
            lines.append((mode, rows, load, write))
        if not lines:
            return 0
        theirs_export, took_export = _timed(
            lambda: XLSX().export_data(
                _resource_class(zone, bulk=True)().export(
                    queryset=Enterprise.objects.filter(zone=self.zones[0])
                    .order_by("name")
                    .prefetch_related("industries", "segments")
                )
            )
        )
        assert len(theirs_export) > 0
        ours_rate = self.rows / ours
        print("## django-import-export on the same file and model\n")
        print(
            "bulk: `use_bulk=True, batch_size=1000, skip_diff=True, force_init_instance=True` "
            "(its bulk mode writes no M2M links and no history rows: it calls bulk_create);\n"
            "row: the default row-by-row mode with `skip_diff=True` (M2M links through "
            "save_m2m, history through simple-history's signals).\n"
            "Both fill name_initials like ours; neither checks USCC check characters.\n"
        )
        print("| tool, mode | rows | load .xlsx s | import s | together s | rows/s | ours/theirs |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| gaoxin, bulk | {self.rows:,} | | | {ours:.2f} | {ours_rate:,.0f} | 1.0 |")
        for mode, rows, load, write in lines:
            rate = rows / (load + write)
            print(
                f"| django-import-export, {mode} | {rows:,} | {load:.2f} | {write:.2f} | "
                f"{load + write:.2f} | {rate:,.0f} | {ours_rate / rate:.1f} |"
            )
        print("\n| export | rows | seconds | rows/s | ours/theirs (speed) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        print(
            f"| gaoxin, list view | {self.rows:,} | {export:.2f} | {_rate(self.rows, export)} "
            "| 1.0 |"
        )
        print(
            f"| django-import-export, resource.export + XLSX | {self.rows:,} | {took_export:.2f} "
            f"| {_rate(self.rows, took_export)} | {took_export / export:.1f} |"
        )
        return 0

    # --- leaving nothing behind --------------------------------------------------------------

    def delete_enterprises(self, zone_ids: list[int]) -> None:
        # Raw deletes: the ORM's delete() would send post_delete for every row, and
        # simple-history would answer each with a new "-" history row.
        from gaoxin.enterprises.models import Enterprise, EnterpriseExit, ScaleSpell

        for standing in (ScaleSpell, EnterpriseExit):  # rows the import writes beside them
            standing.history.model.objects.filter(
                enterprise_id__in=Enterprise.objects.filter(zone_id__in=zone_ids).values("pk")
            )._raw_delete("default")
            standing.objects.filter(enterprise__zone_id__in=zone_ids)._raw_delete("default")
        Enterprise.history.model.objects.filter(zone_id__in=zone_ids)._raw_delete("default")
        for through in (Enterprise.industries.through, Enterprise.segments.through):
            through.objects.filter(enterprise__zone_id__in=zone_ids)._raw_delete("default")
        Enterprise.objects.filter(zone_id__in=zone_ids)._raw_delete("default")

    def cleanup(self) -> None:
        from gaoxin.accounts.models import User, Zone
        from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup

        ids = [zone.pk for zone in self.zones]
        self.delete_enterprises(ids)
        ChainSegment.objects.filter(industry__zone_id__in=ids)._raw_delete("default")
        Industry.objects.filter(zone_id__in=ids)._raw_delete("default")
        IndustryGroup.objects.filter(zone_id__in=ids)._raw_delete("default")
        if self.user is not None:
            User.zones.through.objects.filter(user_id=self.user.pk)._raw_delete("default")
            User.objects.filter(pk=self.user.pk)._raw_delete("default")
        Zone.objects.filter(pk__in=ids)._raw_delete("default")


def _resource_class(zone: Any, *, bulk: bool) -> type:
    """A ModelResource for Enterprise with the import template's columns."""
    from import_export import fields, resources, widgets

    from gaoxin.core.formatting import WAN
    from gaoxin.core.parsing import CENT
    from gaoxin.enterprises.imports import TEMPLATE_HEADERS
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.enterprises.services import initials_for
    from gaoxin.industries.models import ChainSegment, Industry

    class CapitalWidget(widgets.DecimalWidget):
        """The column holds 万元."""

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
            amount = super().clean(value, row, **kwargs)
            return None if amount is None else (amount * WAN).quantize(CENT)

    class YesNoWidget(widgets.BooleanWidget):
        TRUE_VALUES = ["是", *widgets.BooleanWidget.TRUE_VALUES]
        FALSE_VALUES = ["否", *widgets.BooleanWidget.FALSE_VALUES]

    class ZoneManyToManyWidget(widgets.ManyToManyWidget):
        """By name, within the zone (industries of other zones share the names)."""

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            return super().clean(value, row, **kwargs).filter(**{self.zone_lookup: zone})

    class IndustriesWidget(ZoneManyToManyWidget):
        zone_lookup = "zone"

    class SegmentsWidget(ZoneManyToManyWidget):
        zone_lookup = "industry__zone"

    h = dict(enumerate(TEMPLATE_HEADERS))

    def column(index: int, attribute: str, widget: Any = None) -> Any:
        widget = widget or widgets.CharWidget()
        return fields.Field(attribute=attribute, column_name=h[index], widget=widget)

    class EnterpriseResource(resources.ModelResource):
        name = column(0, "name")
        uscc = column(1, "uscc")
        short_name = column(2, "short_name")
        legal_representative = column(3, "legal_representative")
        founded_on = column(4, "founded_on", widgets.DateWidget())
        settled_on = column(5, "settled_on", widgets.DateWidget())
        registered_capital = column(6, "registered_capital", CapitalWidget())
        employees = column(7, "employees", widgets.IntegerWidget())
        address = column(8, "address")
        industries = column(
            9, "industries", IndustriesWidget(Industry, separator="、", field="name")
        )
        segments = column(
            10, "segments", SegmentsWidget(ChainSegment, separator="、", field="name")
        )
        is_above_scale = column(11, "is_above_scale", YesNoWidget())
        above_scale_year = column(12, "above_scale_year", widgets.IntegerWidget())
        contact_person = column(13, "contact_person")
        contact_phone = column(14, "contact_phone")
        contact_email = column(15, "contact_email")

        class Meta:
            model = Enterprise
            fields = (
                "name", "uscc", "short_name", "legal_representative", "founded_on", "settled_on",
                "registered_capital", "employees", "address", "industries", "segments",
                "is_above_scale", "above_scale_year", "contact_person", "contact_phone",
                "contact_email",
            )  # fmt: skip
            import_id_fields = ()
            skip_diff = True
            force_init_instance = True
            use_bulk = bulk
            batch_size = 1000

        def init_instance(self, row: Any = None) -> Enterprise:
            return Enterprise(zone=zone)

        def before_save_instance(self, instance: Enterprise, row: Any, **kwargs: Any) -> None:
            instance.name_initials = initials_for(instance.name, instance.short_name)

    return EnterpriseResource


if __name__ == "__main__":
    raise SystemExit(main())
