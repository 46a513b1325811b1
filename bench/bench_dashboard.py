"""Benchmark of the commander dashboard on a seeded PostgreSQL database. Prints figures; asserts
nothing (bench/ holds benchmarks, never timed tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bridge_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --contacts 100000
    .venv/bin/python bench/bench_dashboard.py --database-url postgres://postgres@127.0.0.1:5432/bridge_bench \
        --label 100k
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --contacts 1000000
    .venv/bin/python bench/bench_dashboard.py --database-url ... --label 1m --compare-to 100k --export

What it measures, for the last full quarter (and the current one):
- the page: median and 90th percentile of N warm requests through Django's full stack
  (django.test.Client: middleware, session, permissions, template), and its number of queries;
- the same figures as plain SQL: the dashboard's own queries run directly on the database, once
  against the raw contacts (what the page would cost without running totals) and once against
  the running totals (the database's share of the page), and the ratio page / SQL;
- with --export: the CSV export of every contact, streamed in a child process, and that
  process's peak memory (resource.getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # Production-like: DEBUG off (no query log), simple static storage, no HTTPS redirect.
    os.environ["DEBUG"] = "0"
    os.environ["BRIDGE_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def commander_client():
    return staff_client("bench-commander", "Commander")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def time_page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: connection, templates, the database's cache
        assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return {
        "median_ms": ms(statistics.median(times)),
        "p90_ms": ms(times[int(len(times) * 0.9) - 1]),
        "queries": len(ctx.captured_queries),
    }


def staff_client(username: str, role: str, *, superuser: bool = False):
    """A signed-in member of staff with a verified second factor, as commander_client."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bridge.middleware import SessionIdleMiddleware

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=role))
    if superuser and not user.is_superuser:
        user.is_staff = user.is_superuser = True
        user.save()
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


def time_lists(repeat: int) -> dict:
    """The lists that grow with the table: the contact list's first, a middle and the last
    page (seek pages: the cursor of the row before each), the concern queue, the admin's
    contact list and a search, and the public meetings page."""
    from django.db import connection

    from liaison.models import Contact, Liaison

    coordinator = staff_client("bench-coordinator", "Coordinator", superuser=True)
    public = __import__("django.test", fromlist=["Client"]).Client(SERVER_NAME="127.0.0.1")
    total = Contact.objects.count()
    searched = Liaison.objects.select_related("user").order_by("pk").first().user.last_name

    def cursor_at(offset: int) -> str:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT date, id FROM liaison_contact ORDER BY date DESC, id DESC OFFSET %s LIMIT 1", [offset]
            )
            day, pk = cur.fetchone()
        return f"{day.isoformat()}.{pk}"

    pages = {
        "contact list, first page": "/en/contacts/",
        "contact list, middle page": f"/en/contacts/?older={cursor_at(total // 2)}",
        "contact list, last page": f"/en/contacts/?older={cursor_at(max(total - 26, 0))}",
        "concern queue": "/en/concerns/queue/",
        "admin contact list": "/admin/liaison/contact/",
        # A liaison's name (their thousands of contacts match) and a word no note holds.
        "admin contact search, a liaison": "/admin/liaison/contact/?" + urlencode({"q": searched}),
        "admin contact search, no match": "/admin/liaison/contact/?q=Garcia",
    }
    out = {}
    n = max(5, repeat // 3)
    for name, url in pages.items():
        out[name] = time_page(coordinator, url, n)
    out["public meetings"] = time_page(public, "/en/events/", n)
    for name, row in out.items():
        print(f"  {name}: median {row['median_ms']} ms (p90 {row['p90_ms']} ms, {row['queries']} queries)")
    return out


def figure_sql(filters, source: str) -> list[str]:
    """The SQL statements the dashboard runs for its contact figures from one source."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard import selectors

    with CaptureQueriesContext(connection) as ctx:
        selectors.contact_figures(filters, source=source)
    return [q["sql"] for q in ctx.captured_queries]


def time_sql(statements: list[str], repeat: int) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        for sql in statements:  # warm
            cur.execute(sql)
            cur.fetchall()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()
            times.append(time.perf_counter() - started)
    return ms(statistics.median(times))


def export_child(database_url: str) -> None:
    """Stream the CSV of every contact to nowhere; print bytes, rows, seconds, peak memory."""
    setup(database_url)
    client = commander_client()
    started = time.perf_counter()
    response = client.get("/en/dashboard/export/contacts.csv", {"scope": "all"})
    assert response.status_code == 200 and response.streaming
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    response.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps(
            {
                "rows": rows - 1,
                "bytes": size,
                "seconds": round(time.perf_counter() - started, 1),
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bridge_bench"),
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--label", default="run")
    parser.add_argument(
        "--compare-to", help="label of an earlier run (e.g. 100k) to compare the page time with"
    )
    parser.add_argument(
        "--export", action="store_true", help="also measure the streamed CSV export of every contact"
    )
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(args.database_url)
        return

    setup(args.database_url)
    from django.db import connection

    from dashboard import rollup, selectors
    from liaison.models import Contact
    from liaison.quarters import Quarter

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL"
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
    contacts = Contact.objects.count()
    print(f"Dashboard benchmark · {args.label} · {contacts:,} contacts · {version} · {os.cpu_count()} cores")
    print(f"running totals kept by triggers: {rollup.enabled()}")
    client = commander_client()
    results = {"label": args.label, "contacts": contacts, "pages": {}}
    last = Quarter.current().previous()
    for name, quarter in [("last quarter", last), ("current quarter", Quarter.current())]:
        filters = selectors.Filters(quarter=quarter)
        page = time_page(client, f"/en/dashboard/?quarter={quarter.key}", args.repeat)
        raw_sql = time_sql(figure_sql(filters, selectors.RAW), max(5, args.repeat // 3))
        kept_sql = time_sql(figure_sql(filters, selectors.ROLLUP), args.repeat)
        row = {
            **page,
            "raw_sql_ms": raw_sql,
            "totals_sql_ms": kept_sql,
            "page_over_raw_sql": round(page["median_ms"] / raw_sql, 2),
            "page_over_totals_sql": round(page["median_ms"] / kept_sql, 2),
        }
        results["pages"][quarter.key] = row
        print(
            f"  {name} {quarter.key}: page median {row['median_ms']} ms (p90 {row['p90_ms']} ms, "
            f"{row['queries']} queries, {args.repeat} warm requests)"
        )
        print(
            f"    plain SQL for the same figures: {raw_sql} ms from the raw contacts, "
            f"{kept_sql} ms from the running totals"
        )
        print(
            f"    ratio page / SQL: {row['page_over_raw_sql']} against raw contacts, "
            f"{row['page_over_totals_sql']} against the running totals"
        )
    # The query count must not depend on the filters or the rows either.
    community = selectors.PriorityCommunity.objects.order_by("id").first()
    filtered = time_page(client, f"/en/dashboard/?quarter={last.key}&community={community.pk}", args.repeat)
    print(f"  with a community filter: page median {filtered['median_ms']} ms, {filtered['queries']} queries")
    results["community_filter"] = filtered

    results["lists"] = time_lists(args.repeat)

    if args.compare_to:
        earlier = json.loads((RESULTS / f"dashboard-{args.compare_to}.json").read_text())
        before = earlier["pages"][last.key]["median_ms"]
        now = results["pages"][last.key]["median_ms"]
        results["growth"] = round(now / before, 2)
        print(
            f"  page time {args.label} / {args.compare_to}: {results['growth']}x "
            f"({now} ms at {contacts:,} vs {before} ms at {earlier['contacts']:,} contacts)"
        )
        for name, row in results["lists"].items():
            if name in earlier.get("lists", {}):
                was = earlier["lists"][name]["median_ms"]
                print(f"    {name}: {row['median_ms']} ms vs {was} ms ({round(row['median_ms'] / was, 2)}x)")

    if args.export:
        out = subprocess.run(
            [sys.executable, __file__, "--export-child", "--database-url", args.database_url],
            capture_output=True,
            text=True,
            check=True,
        )
        export = json.loads(out.stdout.strip().splitlines()[-1])
        results["export"] = export
        print(
            f"  CSV export of every contact: {export['rows']:,} rows, {export['bytes'] / 1e6:.0f} MB streamed in "
            f"{export['seconds']} s, peak memory of the whole process {export['peak_mb']} MB"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"dashboard-{args.label}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
