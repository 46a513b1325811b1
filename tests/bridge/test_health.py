import pytest


@pytest.mark.django_db
def test_healthz_with_database_and_no_broker_is_ok(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured: tasks run in-process",
    }


@pytest.mark.django_db
def test_healthz_with_unreachable_broker_is_503_with_a_one_line_reason(client, settings):
    settings.CELERY_BROKER_URL = "redis://:secret@127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("broker unreachable at redis://127.0.0.1:1")
    assert "secret" not in body["broker"]
    assert "\n" not in body["broker"]


@pytest.mark.django_db
def test_healthz_with_real_redis_broker_is_ok(client, redis_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_with_unreachable_database_is_503_with_a_one_line_reason():
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', headers={'host': 'localhost'});"
        "print(r.status_code); print(r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bridge.settings",
            "BRIDGE_TESTING": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
            "CELERY_BROKER_URL": "",
        }
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = out.stdout.strip().splitlines()[-2:]
    assert status == "503"
    assert json.loads(body)["database"].startswith("database unreachable (postgresql)")
