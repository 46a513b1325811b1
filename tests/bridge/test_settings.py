"""Start-up: production settings refuse to start half-configured, with one line an operator reads."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST", "BRIDGE_TESTING"))}
    base.update({"DEBUG": "0", "SECRET_KEY": "", "ALLOWED_HOSTS": ""})
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_settings_without_secret_key_stops_with_one_line_naming_it():
    result = run_manage("check", ALLOWED_HOSTS="bridge.example.org")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


def test_settings_without_allowed_hosts_stops_with_one_line_naming_it():
    result = run_manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Bridge cannot start: set ALLOWED_HOSTS in the environment (required when DEBUG is off)."
    ]


def test_settings_production_like_check_deploy_reports_nothing():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="kS9#v2!pQz8@xW4$mN7^bR1&tY6*uI3(oP0)lK5-jH2+gF9=dS4",
        ALLOWED_HOSTS="bridge.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_preflight_with_unreachable_database_prints_one_line_not_a_traceback():
    result = run_manage(
        "preflight", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere", CELERY_BROKER_URL=""
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("CommandError: Bridge cannot start: database unreachable")


def test_preflight_with_unreachable_broker_names_it():
    result = run_manage("preflight", DEBUG="1", CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "broker unreachable at redis://127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_production_keeps_database_connections_and_checks_them_first():
    probe = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    production = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        probe,
        SECRET_KEY="kS9#v2!pQz8@xW4$mN7^bR1&tY6*uI3(oP0)lK5-jH2",
        ALLOWED_HOSTS="bridge.example.org",
    )
    assert production.stdout.split() == ["600", "True"], production.stderr
    first_run = run_manage("shell", "-v", "0", "-c", probe, DEBUG="1")
    assert first_run.stdout.split() == ["0", "True"], first_run.stderr


def test_commands_that_only_read_the_code_run_without_secrets():
    """A fresh checkout or a build machine has no .env: checking the migrations and building
    the catalogues needs no secret key, unlike serving or checking a deployment."""
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
    assert run_manage("version").returncode == 0


def test_passwords_are_hashed_with_pbkdf2_outside_the_test_suite():
    """The suite's fast hasher (bridge/settings.py) never reaches a deployment."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        SECRET_KEY="kS9#v2!pQz8@xW4$mN7^bR1&tY6*uI3(oP0)lK5-jH2+gF9=dS4",
        ALLOWED_HOSTS="bridge.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
