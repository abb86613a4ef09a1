"""A stand-in for the engine (services.check) for the page's, the CLI's and the documents'
tests: it finds a fixed set of figures wherever they stand in the text it is given and answers
each as the engine would, one of every kind (agrees; disagrees, revised since the report's
day; disagrees, wrong then too, with two candidate metrics; not recognised)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse

from gaoxin.factcheck.types import (
    Candidate,
    Finding,
    Mention,
    Prepared,
    Reading,
    Report,
    Verdict,
)

SAID_DAY = dt.date(2023, 6, 30)
SAMPLE = (
    "截至2023年6月30日，产业新空间入驻项目126个，其中已签约96个、已注册65个。\n"
    "累计完成固定资产投资32.48亿元，出租率约85%。"
)

SIGNED = "projects.space.reached.signed"


def _records(key: str, day: dt.date) -> str:
    return reverse("core:metric_detail", args=[key]) + f"?as_of={day.isoformat()}"


def _answers(day: dt.date) -> list[tuple[str, Verdict, dict]]:
    return [
        (
            "126个",
            Verdict.AGREES,
            {
                "key": "projects.space.count",
                "label": "产业空间入驻项目",
                "now": Reading(Decimal(126), "126个", True),
                "unit": "个",
            },
        ),
        (
            "96个",
            Verdict.DISAGREES,
            {
                "key": SIGNED,
                "label": "产业空间已签约项目",
                "now": Reading(Decimal(97), "97个", False),
                "then": Reading(Decimal(96), "96个", True),
                "unit": "个",
            },
        ),
        (
            "65个",
            Verdict.DISAGREES,
            {
                "key": "projects.space.reached.registered",
                "label": "产业空间已注册项目",
                "now": Reading(Decimal(70), "70个", False),
                "then": Reading(Decimal(68), "68个", False),
                "unit": "个",
                "candidates": (
                    Candidate("projects.space.reached.registered", "产业空间已注册项目", 0.8),
                    Candidate("enterprises.registered", "注册企业", 0.6),
                ),
            },
        ),
        (
            "32.48亿元",
            Verdict.AGREES,
            {
                "key": "projects.space.fai",
                "label": "固定资产投资",
                "now": Reading(Decimal(3248123456), "32.48亿元", True),
                "unit": "元",
            },
        ),
        ("约85%", Verdict.UNRECOGNISED, {"unit": "%"}),
    ]


def fake_check(text: str, zone_ids: Iterable[int], as_of: dt.date | None = None) -> Report:
    said = SAID_DAY if "2023年6月30日" in text else None
    day = as_of or said or dt.date.today()
    findings = []
    for written, verdict, facts in _answers(day):
        start = text.find(written)
        if start < 0:
            continue
        end = start + len(written)
        key = facts.get("key")
        findings.append(
            Finding(
                mention=Mention(
                    start=start,
                    end=end,
                    at=(start, end),
                    text=written,
                    value=Decimal(0),
                    low=None,
                    high=None,
                    unit=facts["unit"],
                ),
                verdict=verdict,
                key=key,
                label=facts.get("label", ""),
                candidates=facts.get("candidates", ()),
                now=facts.get("now"),
                then=facts.get("then"),
                records_url=_records(key, day) if key else "",
            )
        )
    findings.sort(key=lambda f: f.mention.at)
    return Report(
        prepared=Prepared(text, text, tuple(range(len(text) + 1))),
        zone_ids=tuple(zone_ids),
        as_of=day,
        findings=tuple(findings),
        said_day=said,
    )
