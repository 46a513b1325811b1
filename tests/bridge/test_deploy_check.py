"""`manage.py check --deploy` with production settings (DEBUG off, a real secret, HTTPS), as a
department's security office would run it: no warning at all."""

import os
import secrets
import subprocess
import sys

from django.db import connection

from tests.conftest import ROOT


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    db_settings = connection.settings_dict
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "bridge.example.org",
        "SITE_URL": "https://bridge.example.org",
        "EMAIL_URL": "smtp+tls://bridge:secret@smtp.example.org:587",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{db_settings['NAME']}" if connection.vendor == "sqlite" else ""
        ),
        # Rate limits shared by every process and server (not contacted by the check).
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={k: v for k, v in env.items() if v},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(db):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_rate_limits_would_be_counted_per_process(db):
    result = deploy_check(CACHE_URL="")  # in-process memory: each gunicorn worker counts its own
    assert result.returncode != 0
    assert "bridge.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout
