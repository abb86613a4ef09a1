"""CPU per request of each page of the throughput mix, in one process (no server, no clients).

Runs the reads of bench/throughput.py's mix (the same URLs, the same officer and leader, each
page for the role the mix sends it as) through Django's request handler with DEBUG off, for
--rounds rounds after one unmeasured, and prints the median CPU ms a request per kind and the
mix's weighted mean. Point it at a copy of a generated database; it only reads, apart from the
bench users and their sessions:

    DATABASE_URL=sqlite:////tmp/tp.sqlite3 .venv/bin/python bench/page_cpu.py [--rounds 5]

--json FILE writes every per-request time, to merge runs interleaved with another checkout's
(run one, then the other, several times, on the same data). --profile KIND prints cProfile's
top functions for that kind.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-kind", type=int, default=3, help="URLs per kind")
    parser.add_argument("--prefix", default="gen")
    parser.add_argument("--json", help="write the per-request times here")
    parser.add_argument("--profile", help="a kind to profile with cProfile")
    parser.add_argument("--kinds", help="comma-separated kinds to run (default: all)")
    args = parser.parse_args()

    import django

    django.setup()
    import throughput
    from django.test import Client

    plan_args = argparse.Namespace(prefix=args.prefix, clients=1, seed=7)
    plan = throughput.prepare(plan_args)
    if plan is None:
        return 1
    urls = {kind: sorted(plan.reads[kind])[: args.per_kind] for kind in throughput.READ_WEIGHTS}
    urls["bare page"] = [throughput.PING_URL]
    if args.kinds:
        wanted = args.kinds.split(",")
        urls = {k: v for k, v in urls.items() if k in wanted}
    client = Client()

    def get(kind: str, url: str) -> float:
        role = "leader" if kind in ("dashboard", "board", "metric records") else "officer"
        start = time.process_time()
        response = client.get(url, HTTP_COOKIE=plan.cookies[0][role])
        spent = time.process_time() - start
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code} for {url}")
        return spent

    try:
        if args.profile:
            import cProfile
            import pstats

            for url in urls[args.profile]:
                get(args.profile, url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                for url in urls[args.profile]:
                    get(args.profile, url)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            return 0

        times: dict[str, list[float]] = {kind: [] for kind in urls}
        for round_ in range(args.rounds + 1):
            for kind, kind_urls in urls.items():
                for url in kind_urls:
                    spent = get(kind, url)
                    if round_:
                        times[kind].append(spent * 1000)
    finally:
        throughput.cleanup(plan)

    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    print("| page | median CPU ms |")
    print("| --- | ---: |")
    for kind, values in times.items():
        print(f"| {kind} | {statistics.median(values):.1f} |")
    weights = throughput.READ_WEIGHTS
    if all(kind in times for kind in weights):
        mean = sum(statistics.median(times[k]) * w for k, w in weights.items()) / sum(
            weights.values()
        )
        print(f"reads weighted as in the mix: {mean:.1f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
