"""Benchmark: publish one event to 10,000 subscribers, then send the notices.

Prints messages per second for queueing (rendering in each language, outbox rows written in
the publishing transaction, one send task per row handed to Redis after commit) and for
sending (one real Celery worker delivering to a local aiosmtpd SMTP server). Nothing is
asserted on time; the script checks only that the SMTP server got each notice exactly once.

Subscribers are spread over the deployment's languages (settings.LANGUAGES, from
languages/registry.py: the 16 declared today; a language added there is used too).

Run against PostgreSQL and Redis named by the environment; the benchmark creates (and at
the end drops) a database of its own, `<your database>_bench_notices`, and a Celery queue of
its own, so it never touches your data or anyone's worker:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bridge \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python bench/bench_notices.py [--subscribers 10000] [--concurrency 2] [--keep]
"""

import argparse
import email
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Counter:
    """An SMTP handler that counts what it accepts, by recipient."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients: list[str] = []
        self.rtl = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.content)
        rtl = msg.get("Content-Language") == "ar" and b'dir="rtl"' in envelope.content
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
            self.rtl += rtl
        return "250 OK"


def create_database(url: str) -> tuple[str, str]:
    import psycopg2

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("bench_notices needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = parts.path.lstrip("/") + "_bench_notices"
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return name, urlunsplit(parts._replace(path="/" + name))


def drop_database(url: str, name: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes of the one worker")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not base_url or not broker:
        sys.exit("Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis); see the docstring.")
    db_name, db_url = create_database(base_url)
    queue = f"bench-notices-{uuid.uuid4().hex[:8]}"
    port = free_port()
    os.environ.update(
        {
            "DATABASE_URL": db_url,
            "BRIDGE_CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "CONN_MAX_AGE": "60",  # the worker keeps its database connection between tasks
            "DJANGO_SETTINGS_MODULE": "bridge.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    worker = None
    controller = None
    try:
        import django

        django.setup()
        from aiosmtpd.controller import Controller
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db.models import Max, Min
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        from liaison.models import PriorityCommunity
        from messaging.models import Message
        from outreach import services
        from outreach.models import OutreachEvent, Subscriber

        languages = [code for code, _name in settings.LANGUAGES]
        community = PriorityCommunity.objects.create(
            name="Bench community", name_en="Bench community", slug="bench", active_from=timezone.localdate()
        )
        coordinator = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        now = timezone.now()
        started = time.monotonic()
        subs = Subscriber.objects.bulk_create(
            [
                Subscriber(
                    channel="email",
                    email=f"bench{i}@example.org",
                    language=languages[i % len(languages)],
                    confirmed_at=now,
                    consent_at=now,
                    consent_method="bench",
                    consent_version="bench",
                    consent_text="bench",
                    unsubscribe_code=f"b{i:010d}",
                )
                for i in range(args.subscribers)
            ],
            batch_size=5000,
        )
        through = Subscriber.communities.through
        through.objects.bulk_create(
            [through(subscriber_id=s.pk, prioritycommunity_id=community.pk) for s in subs], batch_size=5000
        )
        print(
            f"{args.subscribers:,} confirmed subscribers in {len(languages)} languages "
            f"({', '.join(languages)}) created in {time.monotonic() - started:.1f} s"
        )
        start = now + timezone.timedelta(days=7)
        event = OutreachEvent.objects.create(
            title="Community safety forum",
            title_en="Community safety forum",
            title_es="Foro de seguridad comunitaria",
            title_ar="منتدى السلامة المجتمعية",
            description_en="Meet your liaison officers.",
            venue_name="Carrick Library",
            address="1811 Brownsville Rd, Pittsburgh, PA 15210",
            start=start,
            end=start + timezone.timedelta(hours=2),
            interpretation_languages=["es", "ar", "ne"],
            created_by=coordinator,
        )
        event.communities.set([community])

        counter = Counter()
        controller = Controller(counter, hostname="127.0.0.1", port=port)
        controller.start()
        log = ROOT / "var" / f"bench-notices-worker-{queue}.log"
        log.parent.mkdir(exist_ok=True)
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bridge",
                "worker",
                "-Q",
                queue,
                "--concurrency",
                str(args.concurrency),
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=open(log, "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        # Warm the worker up with nothing to do, so its start-up is not counted.
        from bridge.celery import app

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5)
            if replies:
                break
            if worker.poll() is not None:
                sys.exit(f"worker exited: {log.read_text()[-2000:]}")
        else:
            sys.exit("worker did not start")

        t0 = time.monotonic()
        queued = services.event_publish(actor=coordinator, event=event)
        t_queued = time.monotonic() - t0
        print(
            f"Queueing: {queued:,} messages rendered, written and handed to Redis in {t_queued:.2f} s "
            f"= {queued / t_queued:,.0f} messages/s"
        )
        sent = Message.objects.filter(status="sent")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and sent.count() < queued:
            time.sleep(0.5)
        t_all = time.monotonic() - t0
        span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        n_sent = sent.count()
        seconds = (span["last"] - span["first"]).total_seconds() if n_sent > 1 else float("nan")
        print(
            f"Sending: {n_sent:,} messages sent by one worker ({args.concurrency} processes) to aiosmtpd; "
            f"first to last in {seconds:.2f} s = {n_sent / seconds:,.0f} messages/s "
            f"(publish to last sent: {t_all:.2f} s)"
        )
        time.sleep(1)
        received = counter.recipients
        print(
            f"SMTP server accepted {len(received):,} messages for {len(set(received)):,} recipients "
            f"({len(received) - len(set(received))} duplicates); {counter.rtl:,} Arabic ones right-to-left"
        )
        by_status = dict(
            Message.objects.values_list("status").annotate(n=Max("id")).values_list("status", "id")
        )
        if len(received) != queued or len(set(received)) != queued:
            print(f"PROBLEM: expected {queued} distinct deliveries; outbox statuses: {by_status}")
            sys.exit(1)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        if controller is not None:
            controller.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - best effort before dropping the database
            pass
        if not args.keep:
            drop_database(base_url, db_name)
        try:
            from bridge.celery import app

            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(queue)
        except Exception:  # noqa: S110 - the queue is empty and harmless if it stays
            pass


if __name__ == "__main__":
    main()
