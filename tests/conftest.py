"""Shared fixtures. Tests that need PostgreSQL, Redis, a Celery worker or Chromium skip when the
service is missing on a newcomer's machine, and fail instead when BRIDGE_REQUIRE_SERVICES=1 (CI)."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require(condition: bool, what: str) -> None:
    """Skip (newcomer) or fail (CI) when a real service the test needs is missing."""
    if condition:
        return
    if settings.BRIDGE_REQUIRE_SERVICES:
        pytest.fail(f"{what} is required here (BRIDGE_REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} not available")


_SERIALIZED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized test database (role groups, permissions, topics... made by data
    migrations) so transactional tests can restore it after a flush.

    Django keeps it on the connection object, which is context-local; once Playwright's sync API
    is running, tests see a fresh connection object without it, and serialized rollback would
    silently restore nothing. pytest_runtest_setup below puts it back."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents:
            _SERIALIZED[alias] = contents
    yield


def pytest_collection_modifyitems(config, items):
    """A transactional test without serialized rollback flushes the database and lets
    post_migrate re-create content types under new ids: every later transactional test then
    fails to restore the serialized ones. Refuse such a test at collection."""
    wrong = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            wrong.append(item.nodeid)
    if wrong:
        raise pytest.UsageError(
            "use @pytest.mark.django_db(transaction=True, serialized_rollback=True): " + ", ".join(wrong)
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _restore_serialized()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    # Also at teardown: with it present, the flush skips post_migrate, whose freshly made
    # content types would clash with the serialized ones restored next.
    _restore_serialized()


def _restore_serialized():
    if not _SERIALIZED:
        return
    from django.db import connections

    for alias, contents in _SERIALIZED.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


def pytest_sessionfinish(session, exitstatus):
    # CI must not pass with a skipped test: a skip there means a service went unused.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if settings.BRIDGE_REQUIRE_SERVICES and reporter and reporter.stats.get("skipped"):
        reporter.write_line("FAILED: tests were skipped while BRIDGE_REQUIRE_SERVICES=1", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True, scope="session")
def _restore_serialized_data_unaudited():
    """A transactional test's serialized rollback re-creates roles and content types row by
    row; django-auditlog would log each one and, asking for a content type before it is
    restored, create it twice. Restoring a test database is not a change anyone made."""
    from auditlog.context import disable_auditlog
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize(self, data):
        with disable_auditlog():
            return original(self, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_second_factor():
    """client.force_login(user) signs a member of staff in as the sign-in pages would: with
    the password and a verified second factor. Tests of the sign-in itself (lockout, MFA
    enrolment and challenge) go through the real forms instead."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self, user)

    ClientMixin.force_login = force_login
    yield
    ClientMixin.force_login = original


def totp_device(user):
    """The user's confirmed authenticator (made on first use), for tests that compute codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def totp_code(device) -> str:
    """The code the authenticator app would show now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client, user) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    from bridge.middleware import SessionIdleMiddleware

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session[SessionIdleMiddleware.KEY] = int(time.time())  # as a sign-in through the pages leaves it
    session.save()


@pytest.fixture
def postgres(db):
    from django.db import connection

    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")
    return connection


@pytest.fixture
def redis_broker():
    from bridge import health

    require(bool(settings.CELERY_BROKER_URL), "A Celery broker (set CELERY_BROKER_URL)")
    ok, msg = health.broker_state()
    require(ok, f"Redis ({msg})")
    return settings.CELERY_BROKER_URL


def worker_env(queue: str) -> dict:
    from django.db import connection

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(
        {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "BRIDGE_CELERY_QUEUE": queue,
            "BRIDGE_TESTING": "1",
            "EMAIL_FILE_PATH": settings.EMAIL_FILE_PATH,
            "EMAIL_URL": os.environ.get("BRIDGE_WORKER_EMAIL_URL", ""),
            "SMS_FILE_PATH": settings.SMS_FILE_PATH,
        }
    )
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    return env


class Worker:
    """A real `celery worker` process on a queue of its own, talking to the test database."""

    def __init__(self, queue: str, env: dict, log: Path):
        self.queue, self.env, self.log = queue, env, log
        self.proc: subprocess.Popen | None = None

    def start(
        self, *, concurrency: int = 1, pool: str = "prefork", extra_args: tuple[str, ...] = ()
    ) -> "Worker":
        logfile = open(self.log, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bridge",
                "worker",
                "-Q",
                self.queue,
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.queue}@%h",
                *extra_args,  # e.g. ("-B", "-s", "<file>") for an embedded beat
            ],
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if b"ready." in self.log.read_bytes():
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: the worker gets no chance to finish or ack
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def celery_worker_factory(
    django_db_serialized_rollback, transactional_db, postgres, redis_broker, tmp_path, settings
):
    """Start real workers against the committed test database; stopped after the test."""
    import uuid

    from bridge.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    workers: list[Worker] = []

    def start(**kwargs) -> Worker:
        w = Worker(queue, worker_env(queue), tmp_path / f"worker{len(workers)}.log")
        workers.append(w)
        return w.start(**kwargs)

    yield start
    for w in workers:
        w.stop()
    app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


@pytest.fixture
def celery_worker(celery_worker_factory):
    return celery_worker_factory()


def at_once(calls) -> list:
    """Run each call in its own thread, all released together (each with its own database
    connection, closed after); their results, in the order they finished."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@pytest.fixture
def role_user(db):
    """role_user("Commander") -> a user in that group."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    def make(role: str, **kwargs):
        user = UserFactory(**kwargs)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture(scope="session")
def chromium_path():
    return CHROMIUM if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM) else None


@pytest.fixture(autouse=True)
def _agencies_forgotten():
    """Each test starts with no cached agency look-up: the cache (Redis in CI) outlives a
    test's database, whose agencies a flush may have re-created with other ids."""
    from agencies.selectors import forget_all

    forget_all()


def warm_agency_cache(host: str = "testserver") -> None:
    """Look the host's agency up once, as a server that has answered a request before has: a
    page's pinned query count is then the page's own queries."""
    from agencies.selectors import agency_for_host

    try:
        agency_for_host(host)
    except RuntimeError:  # a test without database access: nothing to look up
        pass


@pytest.fixture
def client(client):
    warm_agency_cache()
    return client
