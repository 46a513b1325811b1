"""The whole stack scaled out, for real: two gunicorn application servers, two Celery workers
and one Celery beat against one PostgreSQL and one Redis, three agencies with 10,000
subscribers between them. Each agency's coordinator publishes its meeting on both application
servers at once (a double click landing on two servers: the Host header names the agency);
a worker is killed (SIGKILL) mid-way, while the mail server holds a message from it not yet
accepted, and the sweep recovers its rows. Every subscriber gets
exactly one notice, from their own agency's sender, recorded as their own agency's message."""

import collections
import logging
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agencies import context
from agencies.services import agency_create, member_set
from messaging.models import Message
from outreach.models import OutreachEvent, Subscriber
from tests.conftest import ROOT, wait_for, worker_env
from tests.factories import OutreachEventFactory
from tests.messaging.smtp import free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AGENCIES = {"ames": 3400, "boone": 3300, "carroll": 3300}  # 10,000 subscribers in all
TOTAL = sum(AGENCIES.values())


class AppServer:
    """A gunicorn process serving the test database, publishing to the test's queue."""

    def __init__(self, env: dict, log):
        self.port, self.log = free_port(), log
        logfile = open(log, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bridge.wsgi",
                "--config",
                "python:bridge.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "90",  # one request queues a whole agency's fan-out on a busy 2-core machine
            ],
            cwd=ROOT,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
        )

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"app server exited: {self.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:  # noqa: S310 - our own server
                return answer.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def post(self, path: str, *, host: str, cookies: dict, csrf: str) -> int:
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"http://127.0.0.1:{self.port}{path}",
            data=b"",
            method="POST",
            headers={
                "Host": host,
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "X-CSRFToken": csrf,
            },
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=120) as answer:
                return answer.status
        except urllib.error.HTTPError as answer:  # the redirect after a publish lands here
            return answer.code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def app_servers(tmp_path):
    servers: list[AppServer] = []

    def start(n: int) -> list[AppServer]:
        env = worker_env(settings.CELERY_TASK_DEFAULT_QUEUE)  # the queue celery_worker_factory made
        env["ALLOWED_HOSTS"] = ".scale.test,127.0.0.1"
        started = [AppServer(env, tmp_path / f"app{i}.log") for i in range(n)]
        servers.extend(started)
        assert wait_for(lambda: all(s.ready() for s in started), timeout=60, interval=0.3)
        return started

    yield start
    for server in servers:
        server.stop()


def make_agencies() -> dict:
    """Each agency with its own host and sender, its coordinator and its draft meeting."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    made = {}
    for slug in AGENCIES:
        agency = agency_create(
            slug=slug,
            name=f"{slug.title()} Liaison Unit",
            domain=f"{slug}.scale.test",
            sender_email=f"liaison@{slug}.example.org",
        )
        coordinator = UserFactory(username=f"coordinator-{slug}")
        coordinator.groups.add(Group.objects.get(name="Coordinator"))
        member_set(user=coordinator, agency=agency)
        with context.use(agency):
            event = OutreachEventFactory(title_en=f"{slug.title()} forum")
        made[slug] = (agency, coordinator, event)
    return made


def make_subscribers(agencies: dict) -> dict[str, str]:
    """10,000 confirmed e-mail subscribers in a few bulk inserts; address -> agency slug."""
    now = timezone.now()
    rows, owner = [], {}
    for slug, count in AGENCIES.items():
        agency = agencies[slug][0]
        for i in range(count):
            address = f"{slug}{i}@example.org"
            owner[address] = slug
            rows.append(
                Subscriber(
                    agency=agency,
                    channel="email",
                    email=address,
                    language="en",
                    confirmed_at=now,
                    consent_at=now,
                    consent_method="test",
                    consent_version="test",
                    consent_text="test",
                    unsubscribe_code=f"s{len(owner):010d}",
                    unsubscribe_token=secrets.token_urlsafe(24),
                )
            )
    Subscriber.all_agencies.bulk_create(rows, batch_size=2500)
    return owner


def signed_in(user) -> tuple[dict, str]:
    """Session and CSRF cookies of a coordinator signed in with both factors (a session in the
    database every server reads), and the token a form would carry."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked as the token
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }, csrf


@pytest.fixture
def beat(tmp_path):
    """The deployment's one Celery beat, on the test's queue (the sweep every few seconds)."""
    procs = []

    def start() -> subprocess.Popen:
        log = open(tmp_path / "beat.log", "ab")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "bridge",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "-s",
                    str(tmp_path / "celerybeat-schedule"),
                ],
                cwd=ROOT,
                env=worker_env(settings.CELERY_TASK_DEFAULT_QUEUE),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        return procs[-1]

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(15)


def pid_holding(port: int, pids: list[int]) -> int | None:
    """Which of `pids` owns the local TCP socket on `port` (Linux /proc): the worker on the
    other end of a mail-server session."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                    return pid
            except OSError:
                continue
    return None


def test_two_app_servers_and_two_workers_deliver_a_10k_fanout_of_three_agencies_exactly_once(
    celery_worker_factory, smtp_server, app_servers, beat, monkeypatch, caplog
):
    started = time.monotonic()
    caplog.set_level(logging.WARNING, logger="mail.log")  # aiosmtpd logs every SMTP command
    # Every process reads these from the environment (the producer's limits ride in each task).
    for name, value in {
        "MESSAGING_DISPATCH_BATCH": "250",  # 40 batch tasks for the whole fan-out
        "MESSAGING_BATCH_SECONDS": "6",
        "MESSAGING_SEND_SOFT_TIME_LIMIT": "12",
        "MESSAGING_SEND_TIME_LIMIT": "15",
        "MESSAGING_SENDING_TIMEOUT_SECONDS": "20",  # above the hard limit: only a dead worker's rows
        "MESSAGING_REDISPATCH_SECONDS": "25",  # the killed worker's unacknowledged task
        "MESSAGING_QUEUED_GRACE_SECONDS": "5",
        "MESSAGING_SWEEP_SECONDS": "2",
    }.items():
        monkeypatch.setenv(name, value)
    agencies = make_agencies()
    owner = make_subscribers(agencies)
    # The worker sending this one is killed while the server holds it, unanswered: it has
    # delivered nothing (a kill after the server's 250 would be the one duplicate no outbox
    # can prevent: sent, not yet marked).
    stalled = "boone1650@example.org"
    recorder = smtp_server.recorder
    recorder.add_fault("END", stalled, "sleep 25")
    workers = [celery_worker_factory(pool="solo"), celery_worker_factory(pool="solo")]
    beat()
    servers = app_servers(2)
    setup_seconds = time.monotonic() - started

    # Each coordinator publishes on both servers at once; the event's lock lets one through.
    answers, threads = [], []
    for slug, (_agency, coordinator, event) in agencies.items():
        cookies, csrf = signed_in(coordinator)
        with translation.override("en"):
            path = reverse("outreach:staff-event-publish", args=[event.pk])
        for server in servers:

            def publish(server=server, host=f"{slug}.scale.test", cookies=cookies, csrf=csrf, path=path):
                answers.append(server.post(path, host=host, cookies=cookies, csrf=csrf))

            threads.append(threading.Thread(target=publish))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 6, (answers, [s.log.read_text()[-3000:] for s in servers])
    assert set(OutreachEvent.all_agencies.values_list("status", flat=True)) == {"published"}
    rows = Message.all_agencies.filter(key__startswith="event:")
    assert rows.count() == TOTAL

    assert wait_for(lambda: recorder.faulted_peers, timeout=120, interval=0.05)
    pid = pid_holding(recorder.faulted_peers[0][1], [w.proc.pid for w in workers])
    doomed = next(w for w in workers if w.proc.pid == pid)
    doomed.kill()
    killed_at = len(recorder.accepted)
    assert 0 < killed_at < TOTAL  # mid-way

    assert wait_for(lambda: rows.filter(status="sent").count() == TOTAL, timeout=150, interval=1), (
        collections.Counter(rows.values_list("status", flat=True))
    )
    time.sleep(3)  # a sweep or two more: nothing goes out twice
    received = collections.Counter(str(m["To"]) for m in smtp_server.messages)
    assert set(received) == set(owner)
    assert [a for a, n in received.items() if n > 1] == []  # everyone, once
    for message in smtp_server.messages:
        slug = owner[str(message["To"])]
        assert parseaddr(str(message["From"])) == (
            f"{slug.title()} Liaison Unit",
            f"liaison@{slug}.example.org",
        )
    # Each row is its subscriber's agency's; attempts say who was retried: the killed worker's slice.
    ids = {slug: agencies[slug][0].pk for slug in AGENCIES}
    mismatched = [
        a for a, agency_id in rows.values_list("address", "agency_id") if ids[owner[a]] != agency_id
    ]
    assert mismatched == []
    attempts = collections.Counter(rows.values_list("attempts", flat=True))
    assert set(attempts) == {1, 2} and attempts[2] <= 10, attempts
    assert rows.get(address=stalled).attempts == 2
    took = time.monotonic() - started
    print(  # noqa: T201 - the figures a reader of a CI log wants
        f"\n10k fan-out: setup {setup_seconds:.0f} s, all {took:.0f} s; worker killed after {killed_at} "
        f"delivered, {attempts[2]} rows sent again by the sweep"
    )
