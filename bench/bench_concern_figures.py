"""Benchmark of the dashboard's concern figures on PostgreSQL with many concerns in a quarter.
Prints figures; asserts nothing.

    .venv/bin/python bench/bench_concern_figures.py --database-url postgres://postgres@127.0.0.1:5432/bridge_bench \
        --concerns 10000

Adds the concerns (once: it tops up to --concerns bench concerns) with a status history, then
times dashboard.outcomes.concern_figures for the current quarter (median of --repeat runs) and
counts its queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--concerns", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "DEBUG": "0", "BRIDGE_TESTING": "1"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboard import outcomes
    from dashboard.selectors import Filters
    from feedback.models import Concern, ConcernCategory, StatusChange
    from liaison.models import PriorityCommunity
    from liaison.quarters import Quarter

    quarter = Quarter.current()
    have = Concern.objects.filter(code__startswith="B").count()
    if have < args.concerns:
        rng = random.Random(1)
        categories = list(ConcernCategory.objects.all())
        communities = list(PriorityCommunity.objects.all()) + [None]
        start = dt.datetime.combine(quarter.start, dt.time(9), tzinfo=timezone.get_current_timezone())
        span = max((timezone.now() - start).total_seconds(), 3600)
        rows = [
            Concern(
                code=f"B{i:09d}",
                category=rng.choice(categories),
                community=rng.choice(communities),
                text="Bench concern.",
                language="en",
                status=rng.choice(["received", "in_review", "action_taken", "closed"]),
            )
            for i in range(have, args.concerns)
        ]
        made = Concern.objects.bulk_create(rows, batch_size=2000)
        history = []
        for concern in made:
            created = start + dt.timedelta(seconds=rng.random() * span)
            concern.created_at = created
            history.append(StatusChange(concern=concern, to_status="received"))
            if concern.status in ("action_taken", "closed"):
                history.append(
                    StatusChange(concern=concern, from_status="received", to_status=concern.status)
                )
        Concern.objects.bulk_update(made, ["created_at"], batch_size=2000)
        changes = StatusChange.objects.bulk_create(history, batch_size=2000)
        for change in changes:  # action a few days after submission
            moved = change.concern.created_at + dt.timedelta(
                days=0 if change.to_status == "received" else rng.randrange(1, 30)
            )
            change.created_at = min(moved, timezone.now())
        StatusChange.objects.bulk_update(changes, ["created_at"], batch_size=2000)
        print(f"added {len(made):,} concerns")
    filters = Filters(quarter=quarter)
    outcomes.concern_figures(filters)  # warm
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        outcomes.concern_figures(filters)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        figures = outcomes.concern_figures(filters)
    print(
        f"concern figures · {Concern.objects.count():,} concerns · {figures['received']:,} received this quarter: "
        f"median {statistics.median(times) * 1000:.1f} ms, {len(ctx.captured_queries)} queries"
    )


if __name__ == "__main__":
    main()
