# ruff: noqa: S608 - SQL assembled from the two table-name constants only; values are parameters.
"""Benchmark of contact writes with the dashboard's running totals on PostgreSQL: single-row
and 201-row updates of contacts' dates from several clients at once, with the triggers on and
off. Prints transactions per second and deadlocks; asserts nothing (bench/ holds benchmarks).

    .venv/bin/python bench/bench_rollup_writes.py --database-url postgres://postgres@127.0.0.1:5432/bridge_bench

Needs a seeded database (see bench_dashboard.py). Each write is rolled back, so the data and
the totals are left as they were.
"""

from __future__ import annotations

import argparse
import random
import threading
import time

import psycopg2

CONTACT = "liaison_contact"
LINK = "liaison_contact_communities"


def run(url: str, clients: int, seconds: float, rows: int) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM {CONTACT}")
        low, high = cur.fetchone()
    done, deadlocks = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = psycopg2.connect(url)
        cur = conn.cursor()
        while time.monotonic() < deadline:
            start = rng.randrange(low, high - rows)
            try:
                cur.execute(
                    f"UPDATE {CONTACT} SET date = date - (random() * 60)::int WHERE id >= %s AND id < %s",
                    [start, start + rows],
                )
                conn.rollback()  # leave the data as it was
                with lock:
                    done[0] += 1
            except psycopg2.errors.DeadlockDetected:
                conn.rollback()
                with lock:
                    deadlocks[0] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"tps": done[0] / elapsed, "deadlocks": deadlocks[0], "writes": done[0]}


def triggers(url: str, enable: bool) -> None:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        for table in (CONTACT, LINK):
            cur.execute(f"ALTER TABLE {table} {'ENABLE' if enable else 'DISABLE'} TRIGGER USER")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    url = args.database_url.replace("postgres://", "postgresql://")
    print(f"Contact writes · {args.clients} clients · {args.seconds:g} s each")
    try:
        for label, enable in (("with running totals", True), ("without triggers", False)):
            triggers(url, enable)
            for rows in (1, 201):
                r = run(url, args.clients, args.seconds, rows)
                print(
                    f"  {label:<20} {rows:>3}-row updates: {r['tps']:8.0f} tps, "
                    f"{r['deadlocks']} deadlocks in {r['writes'] + r['deadlocks']} transactions"
                )
    finally:
        triggers(url, True)


if __name__ == "__main__":
    main()
