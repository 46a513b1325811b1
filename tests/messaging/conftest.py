import pytest

from tests.messaging.smtp import SMTPServer


@pytest.fixture(autouse=True)
def outbox_in_process(settings, tmp_path):
    """Without a worker, the outbox sends in this process (as with no broker configured),
    never into a shared Redis queue another developer's worker might read. Tests that start
    real workers switch this off through celery_worker_factory."""
    from bridge.celery import app

    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was
    # The outbox keeps one SMTP connection per thread; the next test's server is another one.
    from messaging.services import _drop_smtp

    _drop_smtp()


@pytest.fixture
def smtp_server(monkeypatch):
    """A real SMTP server; workers started after this fixture send to it."""
    server = SMTPServer().start()
    monkeypatch.setenv("BRIDGE_WORKER_EMAIL_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def slow_smtp_server(monkeypatch):
    server = SMTPServer(delay=0.4).start()
    monkeypatch.setenv("BRIDGE_WORKER_EMAIL_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def smtp_in_process(smtp_server, settings):
    """Send from this process (eager) to the real SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return smtp_server
