"""Every page flat from 100 thousand to 1 million contacts, side by side in one run, and a
1 M-row export as a job (issue 12). Prints figures; asserts nothing.

    for n in 100000 1000000; do   # once: two databases, seeded and analysed
      createdb -h 127.0.0.1 -U postgres bridge_bench_$n
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/bridge_bench_$n .venv/bin/python manage.py migrate
      DATABASE_URL=... .venv/bin/python manage.py seed_demo --contacts $n
      psql -h 127.0.0.1 -U postgres -d bridge_bench_$n -c "VACUUM ANALYZE"
    done
    .venv/bin/python bench/bench_scale.py \
        --small postgres://postgres@127.0.0.1:5432/bridge_bench_100000 \
        --large postgres://postgres@127.0.0.1:5432/bridge_bench_1000000 [--exports]

Steps: both databases get 1,000 upcoming published events (idempotent); bench/bench_dashboard.py
runs against each (the dashboard and every list, warm medians through Django's full stack);
the table shows each figure at 100 k, at 1 M and their ratio. With --exports, a CSV and an
Excel export of every contact at 1 M run as jobs (dashboard.services.export_job_run, what the
Celery worker runs), each in a child process whose peak memory is reported, and the file is
read back: its rows counted, the Excel file opened with openpyxl.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
EVENTS = 1000


def setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_dashboard import setup as dashboard_setup

    dashboard_setup(database_url)


def ensure_events(database_url: str) -> int:
    """1,000 published meetings in the coming months (made once, marked by their venue)."""
    code = f"""
import sys; sys.path.insert(0, {str(ROOT / "bench")!r})
from bench_scale import setup; setup({database_url!r})
import datetime as dt
from django.utils import timezone
from outreach.models import OutreachEvent
have = OutreachEvent.objects.filter(venue_name="Bench hall", start__gt=timezone.now()).count()
now = timezone.now().replace(minute=0, second=0, microsecond=0)
OutreachEvent.objects.bulk_create([
    OutreachEvent(title=f"Community meeting {{i}}", title_en=f"Community meeting {{i}}", venue_name="Bench hall",
                  address="1 Main Street", start=now + dt.timedelta(days=1 + i // 8, hours=i % 8),
                  end=now + dt.timedelta(days=1 + i // 8, hours=i % 8 + 1), status="published",
                  published_at=now)
    for i in range(have, {EVENTS})
])
print(OutreachEvent.objects.filter(venue_name="Bench hall", start__gt=timezone.now()).count())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1])


def run_dashboard(database_url: str, label: str, repeat: int) -> dict:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_dashboard.py"),
            "--database-url",
            database_url,
            "--label",
            label,
            "--repeat",
            str(repeat),
        ],
        check=True,
        cwd=ROOT,
    )
    return json.loads((RESULTS / f"dashboard-{label}.json").read_text())


def export_child(database_url: str, fmt: str) -> None:
    """One export job of every contact, run as the worker runs it; then the file read back."""
    setup(database_url)
    from django.contrib.auth import get_user_model

    from dashboard import services
    from dashboard.models import ExportJob

    user, _ = get_user_model().objects.get_or_create(username="bench-commander")
    job = ExportJob.objects.create(
        owner=user, what="contacts", fmt=fmt, scope={"scope": "all"}, language="en", filename="bench-all"
    )
    started = time.perf_counter()
    state = services.export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    checked = time.perf_counter()
    with job.file.open("rb") as f:
        if fmt == "csv":
            import io

            rows = sum(1 for _ in csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig"))) - 1
        else:
            import openpyxl

            wb = openpyxl.load_workbook(f, read_only=True)
            rows = 0
            for ws in wb.worksheets:  # each sheet starts with the header
                rows += sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if row[0] is not None)
            wb.close()
    print(
        json.dumps(
            {
                "state": state,
                "rows_in_job": job.rows_total,
                "rows_in_file": rows,
                "bytes": job.size,
                "seconds": round(seconds, 1),
                "peak_mb": round(peak_mb, 1),
                "read_back_seconds": round(time.perf_counter() - checked, 1),
            }
        )
    )
    job.file.storage.delete(job.file.name)
    job.delete()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", default="postgres://postgres@127.0.0.1:5432/bridge_bench_100k")
    parser.add_argument("--large", default="postgres://postgres@127.0.0.1:5432/bridge_bench_1m")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--exports", action="store_true", help="also run 1 M-row CSV and Excel export jobs")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "FMT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return

    started = dt.datetime.now(dt.UTC)
    for url in (args.small, args.large):
        print(f"upcoming bench events in {url.rsplit('/', 1)[-1]}: {ensure_events(url)}")
    small = run_dashboard(args.small, "scale-small", args.repeat)
    large = run_dashboard(args.large, "scale-large", args.repeat)

    rows = []
    last = next(iter(small["pages"]))
    rows.append(("dashboard, last quarter", small["pages"][last], large["pages"][last]))
    current = list(small["pages"])[1]
    rows.append(("dashboard, current quarter", small["pages"][current], large["pages"][current]))
    rows.append(("dashboard, one community", small["community_filter"], large["community_filter"]))
    for name in small["lists"]:
        label = "public events (1,000 upcoming)" if name == "public meetings" else name
        rows.append((label, small["lists"][name], large["lists"][name]))
    head = f"{small['contacts']:,} contacts"
    tail = f"{large['contacts']:,} contacts"
    print()
    print(
        f"Side by side ({started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores), warm medians through Django:"
    )
    print(f"  {'page':34} {head:>18} {tail:>20}  ratio")
    for name, a, b in rows:
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("nan")
        print(f"  {name:34} {a['median_ms']:>15} ms {b['median_ms']:>17} ms  {ratio:.2f}x")
    out = {"small": small["contacts"], "large": large["contacts"], "rows": [[n, a, b] for n, a, b in rows]}

    if args.exports:
        print()
        print(f"Export jobs of every contact ({large['contacts']:,}), as the Celery worker runs them:")
        out["exports"] = {}
        for fmt in ("csv", "xlsx"):
            res = subprocess.run(
                [sys.executable, __file__, "--export-child", args.large, fmt],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            row = json.loads(res.stdout.strip().splitlines()[-1])
            out["exports"][fmt] = row
            complete = (
                "complete" if row["rows_in_file"] == row["rows_in_job"] == large["contacts"] else "INCOMPLETE"
            )
            print(
                f"  {fmt.upper():4}: {row['state']}, {row['rows_in_file']:,} rows in the file ({complete}), "
                f"{row['bytes'] / 1e6:.0f} MB in {row['seconds']} s, peak memory {row['peak_mb']} MB; "
                f"read back in {row['read_back_seconds']} s"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
