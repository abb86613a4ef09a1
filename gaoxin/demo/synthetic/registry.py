"""The zone's staff and industry system, and the enterprise registry with designations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from stdnum.cn import uscc as stdnum_uscc

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core.roles import Role
from gaoxin.demo.registry_data import (
    CHAINS,
    PREFIXES,
    SUFFIX,
    SYSTEM,
    WORDS,
    industry_row,
    national_class_code,
)
from gaoxin.demo.synthetic.base import BATCH, MIDDLE_WORDS, START, Base, bulk
from gaoxin.enterprises.models import (
    Designation,
    DesignationKind,
    DesignationLevel,
    Enterprise,
    EnterpriseExit,
    ScaleSpell,
)
from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup, NationalIndustry

DEPARTMENTS = ["招商局", "经济发展局", "自然资源局", "住房和城乡建设局", "生态环境局", "科技创新局"]
# What the later parts read of an enterprise once it is written (the projects its name and id,
# the campaigns its id, the economy and the cultivation radars its standing): the generator
# keeps only these of each, the rest deferred. Whole records held 1.9 GB at a province's
# million enterprises (bench/README.md, issue 19: a province).
KEPT = ("id", "zone_id", "name", "status", "is_above_scale", "above_scale_year", "settled_on")


class RegistryPart(Base):
    def _staff(self, zone: Zone) -> None:
        depts = bulk(
            Department, [Department(zone=zone, name=name) for name in DEPARTMENTS], self.counts
        )
        self.departments[zone.pk] = {d.name: d for d in depts}
        users = []
        for j in range(1, 6):
            user = User(username=f"{zone.code}-officer{j}", name=self.person(), role=Role.OFFICER)
            user.set_unusable_password()
            users.append(user)
        users = bulk(User, users, self.counts)
        through = User.zones.through
        bulk(through, [through(user_id=u.pk, zone_id=zone.pk) for u in users], self.counts)
        self.officers[zone.pk] = users

    def _industry_system(self, zone: Zone) -> None:
        groups = bulk(
            IndustryGroup,
            [IndustryGroup(zone=zone, name=name, order=i) for i, name in enumerate(SYSTEM)],
            self.counts,
        )
        rows = []
        for group, names in zip(groups, SYSTEM.values(), strict=True):
            for order, name in enumerate(names):
                rows.append(industry_row(zone, group, name, order))
        industries = bulk(Industry, rows, self.counts)
        by_name = {i.name: i for i in industries}
        segments = [
            ChainSegment(industry=by_name[name], name=segment, position=position, order=order)
            for name, chain in CHAINS.items()
            for order, (position, segment) in enumerate(chain)
        ]
        self.industries[zone.pk] = industries
        self.segments[zone.pk] = bulk(ChainSegment, segments, self.counts)

    def _enterprises(self, zone: Zone, count: int, serial: int) -> int:
        rng = self.rng
        segments = self.segments[zone.pk]
        industries = self.industries[zone.pk]
        created: list[Enterprise] = []
        divisions = {
            n.code: n
            for n in NationalIndustry.objects.filter(level=NationalIndustry.Level.DIVISION)
        }
        officers: list[User | None] = [*self.officers.get(zone.pk, [])] or [None]
        for start in range(0, count, BATCH):
            rows, links = [], []
            for _ in range(min(BATCH, count - start)):
                serial += 1
                segment = rng.choice(segments) if rng.random() < 0.7 else None
                industry = (
                    next(i for i in industries if i.pk == segment.industry_id)
                    if segment
                    else rng.choice(industries)
                )
                parts = [
                    rng.choice(PREFIXES),
                    rng.choice(WORDS),
                    rng.choice(MIDDLE_WORDS),
                    SUFFIX.get(industry.name, "科技"),
                ]
                number = rng.randint(1, 999) if rng.random() < 0.3 else None
                name = "".join(parts) + (f"{number}号" if number else "") + "有限公司"
                short = parts[1] + parts[2]
                initials = "".join(self.initial(p) for p in parts) + (
                    str(number) + self.initial("号") if number else ""
                )
                settled = self.day(dt.date(2005, 1, 1))
                above = rng.random() < 0.25
                body = f"91440400MA{serial:07d}"
                rows.append(
                    Enterprise(
                        zone=zone,
                        name=name,
                        short_name=short,
                        name_initials=f"{initials}yxgs {self.initial(short)}",
                        uscc=body + stdnum_uscc.calc_check_digit(body),
                        legal_representative=self.person(),
                        founded_on=settled - dt.timedelta(days=rng.randint(0, 3650)),
                        settled_on=settled,
                        registered_capital=Decimal(
                            rng.choice([100, 500, 1000, 2000, 5000, 12000]) * 10_000
                        ),
                        employees=rng.randint(5, 2000),
                        address=f"{rng.choice(PREFIXES)}路{rng.randint(1, 999)}号",
                        is_above_scale=above,
                        above_scale_year=rng.randint(max(settled.year, 2010), self.end.year)
                        if above
                        else None,
                        status=rng.choices(
                            [Enterprise.Status.ACTIVE, "moved_out", "closed"], [92, 5, 3]
                        )[0],
                        national_industry=divisions.get(
                            national_class_code(industry.name, serial) or ""
                        ),
                        liaison_officer=officers[serial % len(officers)],
                    )
                )
                links.append((industry, segment))
            batch = bulk(Enterprise, rows, self.counts)
            ind_through = Enterprise.industries.through
            seg_through = Enterprise.segments.through
            bulk(
                ind_through,
                [
                    ind_through(enterprise_id=e.pk, industry_id=i.pk)
                    for e, (i, _s) in zip(batch, links, strict=True)
                ],
                self.counts,
            )
            bulk(
                seg_through,
                [
                    seg_through(enterprise_id=e.pk, chainsegment_id=s.pk)
                    for e, (_i, s) in zip(batch, links, strict=True)
                    if s is not None
                ],
                self.counts,
            )
            self._designations(batch)
            self._standing(batch)
            created.extend(_kept(e) for e in batch)
            self.bar.update(len(rows))
        self.enterprises[zone.pk] = created
        return serial

    def _standing(self, batch: Iterable[Enterprise]) -> None:
        """The dated standing behind today's flags: a 规上 spell from 1 January of the year it
        became 规上, and an exit (after it settled) for each enterprise not operating."""
        spells, exits = [], []
        for enterprise in batch:
            if enterprise.is_above_scale and enterprise.above_scale_year:
                spells.append(
                    ScaleSpell(
                        enterprise=enterprise,
                        entered_on=dt.date(enterprise.above_scale_year, 1, 1),
                        source=ScaleSpell.Source.STATISTICS,
                    )
                )
            if enterprise.status != Enterprise.Status.ACTIVE:
                # Half way from settling to the set's last day (no draw: the random stream
                # the rest of the set is made from stays as it was).
                settled = enterprise.settled_on or START
                halfway = max((self.end - settled).days // 2, 0)
                exits.append(
                    EnterpriseExit(
                        enterprise=enterprise,
                        kind=enterprise.status,
                        left_on=settled + dt.timedelta(days=halfway),
                    )
                )
        bulk(ScaleSpell, spells, self.counts)
        bulk(EnterpriseExit, exits, self.counts)

    def _designations(self, batch: Iterable[Enterprise]) -> None:
        kinds = [
            (DesignationKind.HIGH_TECH, DesignationLevel.NATIONAL, 50),
            (DesignationKind.TECH_SME, DesignationLevel.PROVINCIAL, 25),
            (DesignationKind.SPECIALISED_SME, DesignationLevel.PROVINCIAL, 15),
            (DesignationKind.LITTLE_GIANT, DesignationLevel.NATIONAL, 5),
            (DesignationKind.INNOVATIVE_SME, DesignationLevel.PROVINCIAL, 5),
        ]
        rows = []
        for enterprise in batch:
            if self.rng.random() >= 0.15:
                continue
            kind, level, _w = self.rng.choices(kinds, [k[2] for k in kinds])[0]
            granted = self.day(max(enterprise.settled_on or START, START))
            rows.append(
                Designation(
                    enterprise=enterprise,
                    kind=kind,
                    level=level,
                    granted_on=granted,
                    expires_on=granted.replace(year=granted.year + 3, day=1) - dt.timedelta(days=1),
                    certificate_no=f"GR{granted.year}44{enterprise.pk:07d}",
                )
            )
        bulk(Designation, rows, self.counts)


def _kept(enterprise: Enterprise) -> Enterprise:
    """The written enterprise with only the fields in KEPT, as `.only(*KEPT)` loads it."""
    names = [f.attname for f in Enterprise._meta.concrete_fields if f.attname in KEPT]
    return Enterprise.from_db(
        DEFAULT_DB_ALIAS, names, [getattr(enterprise, name) for name in names]
    )
