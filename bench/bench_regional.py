"""Benchmark of the regional view against one agency's dashboard, with 50 agencies and 1 M
contacts in all, on PostgreSQL. Prints figures against the dashboard's goal (150 ms at 1 M);
asserts nothing (bench/ holds benchmarks, never timed tests).

    createdb -h 127.0.0.1 -U postgres bridge_regional_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bridge_regional_bench .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_regional.py --database-url postgres://postgres@127.0.0.1:5432/bridge_regional_bench

The first run seeds (in about a minute: one INSERT ... SELECT FROM generate_series per table,
with the running totals' triggers off and the totals rebuilt once after); later runs reuse the
data. 50 agencies, all sharing their figures; 20 liaisons and 12 priority communities each (the
communities' slugs drawn from one pool of 20, so the regional view folds the same community
across agencies); 1 M contacts over three years, a third of them with two communities; 20,000
concerns with their history and 20,000 survey answers.

What it times (median and 95th percentile of --repeat warm runs):
- the dashboard of one agency, as that agency (`agencies.context.use`): the figures the page
  reads (contacts, events, concerns, surveys, requests);
- the regional view's figures (dashboard.regional.regional_figures);
- the regional page through Django's full stack (django.test.Client, a regional analyst), and
  its number of queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import setup  # noqa: E402

AGENCIES, LIAISONS, COMMUNITIES, POOL = 50, 20, 12, 20
GOAL_MS = 150.0


def seed(contacts: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from agencies.models import Agency
    from agencies.selectors import forget_all
    from dashboard import rollup
    from liaison.models import Liaison, PriorityCommunity

    if Agency.objects.filter(slug__startswith="bench-agency-").count() >= AGENCIES:
        return
    started = time.perf_counter()
    today = dt.date.today()
    with transaction.atomic():
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    slug=f"bench-agency-{a:02d}", name=f"Bench Agency {a:02d}", shares_regional_figures=True
                )
                for a in range(AGENCIES)
            ]
        )
        PriorityCommunity.all_agencies.bulk_create(
            [
                PriorityCommunity(
                    agency=agency,
                    slug=f"bench-pool-{(a * 3 + k) % POOL:02d}",
                    name=f"Pool community {(a * 3 + k) % POOL:02d}",
                    name_en=f"Pool community {(a * 3 + k) % POOL:02d}",
                    languages=["en"],
                    active_from=today - dt.timedelta(days=365 * 4),
                    priority_level=1 + k % 3,
                )
                for a, agency in enumerate(agencies)
                for k in range(COMMUNITIES)
            ]
        )
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-r-{a:02d}-{i:02d}",
                    first_name="Bench",
                    last_name=f"{a}-{i}",
                    password="!",
                )
                for a in range(AGENCIES)
                for i in range(LIAISONS)
            ]
        )
        Liaison.all_agencies.bulk_create(
            [
                Liaison(user=u, agency=agencies[n // LIAISONS], badge_number=f"RB-{n:04d}", unit="Zone 1")
                for n, u in enumerate(users)
            ]
        )
        rollup.uninstall()  # the totals are rebuilt once below, not row by row
        with connection.cursor() as cur:
            cur.execute(
                """
                CREATE TEMP TABLE bench_l AS
                SELECT id, agency_id, (row_number() OVER (ORDER BY id)) - 1 AS n
                FROM liaison_liaison WHERE badge_number LIKE 'RB-%%';
                CREATE TEMP TABLE bench_c AS
                SELECT id, agency_id, (row_number() OVER (PARTITION BY agency_id ORDER BY id)) - 1 AS k
                FROM liaison_prioritycommunity WHERE slug LIKE 'bench-pool-%%';
                """,
                [],
            )
            cur.execute(
                """
                INSERT INTO liaison_contact (agency_id, liaison_id, date, kind, people_reached, language,
                    interpreter_used, interpreter_detail, notes, created_at, updated_at)
                SELECT l.agency_id, l.id, %s::date - ((g * 7919) %% 1095)::int,
                       (ARRAY['informal_visit','phone_call','formal_meeting','event'])[1 + g %% 4],
                       1 + (g %% 7), (ARRAY['en','es','ar','ne','so'])[1 + (g / 7) %% 5],
                       g %% 10 = 0, '', '', now(), now()
                FROM generate_series(0::bigint, %s::bigint - 1) g JOIN bench_l l ON l.n = g %% %s
                """,
                [today, contacts, AGENCIES * LIAISONS],
            )
            cur.execute(
                """
                INSERT INTO liaison_contact_communities (contact_id, prioritycommunity_id)
                SELECT c.id, bc.id FROM liaison_contact c
                JOIN bench_c bc ON bc.agency_id = c.agency_id AND bc.k = c.id %% %s
                WHERE c.liaison_id IN (SELECT id FROM bench_l)
                UNION ALL
                SELECT c.id, bc.id FROM liaison_contact c
                JOIN bench_c bc ON bc.agency_id = c.agency_id AND bc.k = (c.id + 5) %% %s
                WHERE c.id %% 3 = 0 AND c.liaison_id IN (SELECT id FROM bench_l)
                """,
                [COMMUNITIES, COMMUNITIES],
            )
            cur.execute("SELECT id FROM feedback_concerncategory ORDER BY id")
            categories = [r[0] for r in cur.fetchall()]
            cur.execute(
                """
                INSERT INTO feedback_concern (agency_id, code, category_id, text, community_id, place,
                    contact_method, email, phone, language, status, not_actionable_reason,
                    public_response, published, public_summary, created_at, updated_at)
                SELECT l.agency_id, 'B' || lpad(g::text, 9, '0'), (%s::bigint[])[1 + g %% %s], 'A bench concern.',
                       NULL, '', 'none', '', '', 'en', 'action_taken', '', '', FALSE, '',
                       now() - ((g %% 700) || ' days')::interval, now()
                FROM generate_series(0, 19999) g JOIN bench_l l ON l.n = g %% %s
                """,
                [categories, len(categories), AGENCIES * LIAISONS],
            )
            cur.execute(
                """
                INSERT INTO feedback_statuschange (agency_id, concern_id, from_status, to_status, reason, created_at)
                SELECT agency_id, id, 'received', 'action_taken', '', created_at + ((id %% 20) || ' days')::interval
                FROM feedback_concern WHERE code LIKE 'B%%'
                """,
                [],
            )
            cur.execute(
                """
                INSERT INTO surveys_surveyresponse (agency_id, source, language, respect, would_contact,
                    know_how, comment, comment_status, submitted_on, community_id)
                SELECT bc.agency_id, 'pulse', 'en', 1 + g %% 5, 1 + (g / 5) %% 5, 1 + (g / 25) %% 5, '',
                       'none', %s::date - (g %% 700), bc.id
                FROM generate_series(0, 19999) g
                JOIN bench_c bc ON bc.agency_id = (SELECT min(agency_id) FROM bench_c) + g %% %s
                    AND bc.k = (g / %s) %% %s
                """,
                [today, AGENCIES, AGENCIES, COMMUNITIES],
            )
        rollup.install()  # the triggers back, and the totals recounted from the contacts
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    forget_all()
    print(f"seeded {AGENCIES} agencies and {contacts:,} contacts in {time.perf_counter() - started:.0f} s")


def timed(fn, repeat: int) -> dict:
    for _ in range(3):  # warm: connection, the database's cache
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1),
    }


def analyst_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies import context
    from agencies import services as agency_services
    from agencies.models import Agency
    from bridge.middleware import SessionIdleMiddleware

    user, _ = get_user_model().objects.get_or_create(username="bench-regional-analyst")
    agency_services.member_set(
        user=user, agency=Agency.objects.get(pk=context.default_agency_id()), regional_analyst=True
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Bench authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SessionIdleMiddleware.KEY] = int(time.time())
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bridge_regional_bench"),
    )
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agencies import context
    from agencies.models import Agency
    from dashboard import outcomes, regional, selectors
    from liaison.models import Contact
    from liaison.quarters import Quarter

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL"
    seed(args.contacts)
    quarter = Quarter.current().previous()
    agency = Agency.objects.get(slug="bench-agency-00")
    total = Contact.all_agencies.count()
    with context.use(agency):
        mine = Contact.objects.count()
    sharing = Agency.objects.filter(shares_regional_figures=True).count()
    print(
        f"Regional benchmark · {Agency.objects.count()} agencies ({sharing} sharing) · {total:,} contacts "
        f"({mine:,} in {agency.name}) · quarter {quarter.key} · {os.cpu_count()} cores"
    )

    def dashboard():
        with context.use(agency):
            filters = selectors.Filters(quarter=quarter)
            fig = selectors.contact_figures(filters)
            outcomes.add_events_to_trend(fig.trend, filters)
            outcomes.event_figures(filters)
            outcomes.concern_figures(filters)
            outcomes.survey_figures(filters, [r["quarter"] for r in fig.trend])
            outcomes.request_figures(filters)

    client = analyst_client()
    url = f"/en/regional/?quarter={quarter.key}"
    assert client.get(url).status_code == 200

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with CaptureQueriesContext(connection) as ctx:
        regional.regional_figures(quarter)
    figure_queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        page()
    page_queries = len(ctx.captured_queries)
    fig = regional.regional_figures(quarter)
    print(
        f"  regional figures: {len(fig.agencies)} agencies, {len(fig.communities)} communities, "
        f"{fig.total_contacts:,} contacts in the quarter"
    )
    rows = [
        ("dashboard of one agency (figures, as that agency)", timed(dashboard, args.repeat), None),
        (
            "regional view (figures)",
            timed(lambda: regional.regional_figures(quarter), args.repeat),
            figure_queries,
        ),
        ("regional page (full stack)", timed(page, args.repeat), page_queries),
    ]
    for name, row, queries in rows:
        verdict = "within" if row["median_ms"] <= GOAL_MS and row["p95_ms"] <= GOAL_MS else "OVER"
        extra = f", {queries} queries" if queries is not None else ""
        print(
            f"  {name}: median {row['median_ms']} ms, p95 {row['p95_ms']} ms ({args.repeat} runs{extra}) "
            f"- {verdict} the goal of {GOAL_MS:.0f} ms"
        )


if __name__ == "__main__":
    main()
