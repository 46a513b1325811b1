"""Benchmark of the dashboard's "What people told us" on PostgreSQL with many survey answers
and "was it resolved?" answers. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_survey_figures.py --database-url postgres://postgres@127.0.0.1:5432/bridge_bench \\
        --answers 200000 --followups 20000

Tops the database up to --answers survey answers spread over the last eight quarters and the
communities (plus "not said"), and to --followups answered follow-ups on bench concerns, then
times dashboard.outcomes.survey_figures for the current quarter with its eight-quarter trend
(median of --repeat runs) and counts its queries.
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
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--followups", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "DEBUG": "0", "BRIDGE_TESTING": "1"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboard import outcomes
    from dashboard.selectors import Filters
    from feedback.models import Concern, ConcernCategory, FollowUp
    from liaison.models import PriorityCommunity
    from liaison.quarters import Quarter
    from surveys.models import SurveyResponse

    call_command("migrate", verbosity=0)
    rng = random.Random(15)
    quarter = Quarter.current()
    quarters = [quarter]
    for _ in range(7):
        quarters.insert(0, quarters[0].previous())
    first_day, today = quarters[0].start, timezone.localdate()
    communities = list(PriorityCommunity.objects.all()) + [None]
    if not communities[:-1]:
        call_command("seed_demo", allow_without_debug=True, quiet_logins=True, verbosity=0)
        communities = list(PriorityCommunity.objects.all()) + [None]

    have = SurveyResponse.objects.count()
    days = (today - first_day).days + 1
    for start in range(have, args.answers, 20_000):
        rows = [
            SurveyResponse(
                source="pulse",
                community=rng.choice(communities),
                language="en",
                respect=rng.randint(1, 5),
                would_contact=rng.randint(1, 5),
                know_how=rng.randint(1, 5),
                submitted_on=first_day + dt.timedelta(days=rng.randrange(days)),
            )
            for _ in range(min(20_000, args.answers - start))
        ]
        SurveyResponse.objects.bulk_create(rows, batch_size=5000)
    if have < args.answers:
        print(f"added {args.answers - have:,} survey answers")

    have = FollowUp.objects.count()
    if have < args.followups:
        category = ConcernCategory.objects.first()
        concerns = Concern.objects.bulk_create(
            [
                Concern(
                    code=f"F{i:09d}",
                    category=category,
                    community=rng.choice(communities),
                    text="Bench concern.",
                    language="en",
                    status="action_taken",
                )
                for i in range(have, args.followups)
            ],
            batch_size=5000,
        )
        start = dt.datetime.combine(first_day, dt.time(9), tzinfo=timezone.get_current_timezone())
        span = (timezone.now() - start).total_seconds()
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    concern=c,
                    answered_at=start + dt.timedelta(seconds=rng.random() * span),
                    resolved=rng.random() < 0.7,
                )
                for c in concerns
            ],
            batch_size=5000,
        )
        print(f"added {len(concerns):,} answered follow-ups")

    connection.cursor().execute("ANALYZE")
    filters = Filters(quarter=quarter)
    outcomes.survey_figures(filters, quarters)  # warm
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        outcomes.survey_figures(filters, quarters)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        figures = outcomes.survey_figures(filters, quarters)
    print(
        f"survey figures · {SurveyResponse.objects.count():,} answers, {FollowUp.objects.count():,} follow-ups · "
        f"{figures['total']['answers']:,} answers this quarter: "
        f"median {statistics.median(times) * 1000:.1f} ms, {len(ctx.captured_queries)} queries"
    )


if __name__ == "__main__":
    main()
