"""Tracking codes never appear in logs: Django's request log, runserver's and gunicorn's access
log all write a marker where the code was."""

import logging
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bridge.logs import MARK, RedactTrackingCodes, redact
from tests.conftest import ROOT, worker_env
from tests.factories import ConcernFactory

CODE = "K7QM-4XPT-9H"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Not Found: /en/concerns/track/K7QM-4XPT-9H/", f"Not Found: /en/concerns/track/{MARK}/"),
        ("Not Found: /ar/concerns/track/k7qm4xpt9h/", f"Not Found: /ar/concerns/track/{MARK}/"),
        ("Bad Request: /en/concerns/track/\\x00abc/", f"Bad Request: /en/concerns/track/{MARK}/"),
        (
            '"GET /es/concerns/track/?code=K7QM4XPT9H&x=1 HTTP/1.1" 302',
            f'"GET /es/concerns/track/?code={MARK}&x=1 HTTP/1.1" 302',
        ),
        ("sent the answer for K7QM-4XPT-9H", f"sent the answer for {MARK}"),
        ("GET /en/concerns/track/ HTTP/1.1", "GET /en/concerns/track/ HTTP/1.1"),
        ("2025-01-15 meeting, invoice 4711-ABCD", "2025-01-15 meeting, invoice 4711-ABCD"),
    ],
)
def test_redact_replaces_codes_in_paths_queries_and_text(line, expected):
    assert redact(line) == expected


@pytest.mark.django_db
def test_logs_404_line_for_a_tracking_address_has_no_code(client, caplog):
    concern = ConcernFactory()
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get(f"/en/concerns/track/{CODE}/").status_code == 404
        assert client.get(f"/en/concerns/track/{concern.code_display}/extra/").status_code == 404
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == [
        f"Not Found: /en/concerns/track/{MARK}/",
        f"Not Found: /en/concerns/track/{MARK}/extra/",
    ]
    assert CODE not in caplog.text and concern.code_display not in caplog.text


def test_logs_filter_is_configured_on_the_request_loggers_and_the_console():
    for name in ("django.request", "django.server"):
        assert any(isinstance(f, RedactTrackingCodes) for f in logging.getLogger(name).filters), name
    # The console handler (pytest adds its own capture handlers beside it).
    handlers = logging.getLogger("django").handlers
    assert any(any(isinstance(f, RedactTrackingCodes) for f in h.filters) for h in handlers)


def test_logs_filter_redacts_a_traceback_too():
    try:
        raise RuntimeError(f"no concern {CODE}")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error: %s", ("/x/",), sys.exc_info()
        )
    RedactTrackingCodes().filter(record)
    text = logging.Formatter().format(record)
    assert CODE not in text and f"no concern {MARK}" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_logs_gunicorn_access_log_from_the_procfile_has_no_code(postgres, tmp_path):
    """Start gunicorn as the Procfile's web: line does, ask for tracking addresses, read its log."""
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    args = shlex.split(web.removeprefix("web:"))
    assert "python:bridge.gunicorn_conf" in args
    port = _free_port()
    args[0] = str(ROOT / args[0])
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    args[args.index("--access-logfile") + 1] = str(tmp_path / "access.log")
    args[args.index("--workers") + 1] = "1"
    env = {**worker_env("unused"), "DEBUG": "1"}
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310 - local
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        for path in (f"/en/concerns/track/{CODE}/", "/es/concerns/track/?code=K7QM4XPT9H"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Referer": f"http://x/en/concerns/track/{CODE}/"}
            )
            try:
                urllib.request.urlopen(request, timeout=10)  # noqa: S310 - local
            except urllib.error.HTTPError:
                pass
        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline and (tmp_path / "access.log").read_text().count("concerns/track") < 2
        ):
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(15)
    log = (tmp_path / "access.log").read_text()
    assert f"/en/concerns/track/{MARK}/" in log and f"?code={MARK}" in log
    assert CODE not in log and "K7QM4XPT9H" not in log


def test_logs_an_admin_search_is_redacted_whatever_it_holds():
    from bridge.logs import redact

    line = '"GET /admin/feedback/concern/?q=K7QM4XPT9H HTTP/1.1" 200 / "GET /admin/outreach/subscriber/?o=1&q=layla%40example.org"'
    assert "K7QM4XPT9H" not in redact(line) and "layla" not in redact(line)
    assert "o=1" in redact(line)
