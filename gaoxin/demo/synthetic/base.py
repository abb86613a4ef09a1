"""What every part of the synthetic-data generator shares: the fixed calendar, the batch
size, names for people, the bulk writer, and the random helpers every part draws from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from random import Random
from typing import Any

from django.db import models
from django.utils import timezone

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core.text import pinyin_initials
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.models import ChainSegment, Industry

BATCH = 2000
START = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2025, 6, 30)
MIDDLE_WORDS = ["新能", "智造", "微电", "生物", "光电", "数联", "科创", "安泰", "鼎盛", "宏图"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静磊洋勇艳杰军涛明超华平刚桂英"


def bulk(model: type[models.Model], rows: Sequence[Any], counts: Counter[str]) -> list[Any]:
    created: list[Any] = model._default_manager.bulk_create(rows, batch_size=BATCH)
    counts[model._meta.label] += len(rows)
    return created


class Base:
    """The generator's state and helpers. Each part (registry, projects, campaigns) extends
    it; demo/generate.py's generator is all of them, and one Random draws for all, in the
    order the run calls the parts, so that one seed always gives the same data."""

    # Filled as the run goes, zone by zone (keys are zone ids).
    zones: list[Zone]
    departments: dict[int, dict[str, Department]]
    officers: dict[int, list[User]]
    industries: dict[int, list[Industry]]
    segments: dict[int, list[ChainSegment]]
    enterprises: dict[int, list[Enterprise]]
    economy_months: int = 36  # the months of the economy's figures (synthetic/economy.py)

    def __init__(self, rng: Random, seed: int, prefix: str, bar: Any) -> None:
        self.rng = rng
        self.seed = seed
        self.prefix = prefix
        self.bar = bar
        self.end = min(LAST_DAY, timezone.localdate())
        self.counts: Counter[str] = Counter()
        self.initials: dict[str, str] = {}

    # --- helpers ---------------------------------------------------------------------------

    def day(self, start: dt.date, end: dt.date | None = None) -> dt.date:
        end = end or self.end
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.end)

    def initial(self, part: str) -> str:
        if part not in self.initials:
            self.initials[part] = pinyin_initials(part)
        return self.initials[part]

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=2))
