"""The installable field app's server side: the worker, the manifest, the offline page and
what staff pages tell the device (bridge/offline.py)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from bridge.offline import store_id
from tests.factories import LiaisonFactory

pytestmark = pytest.mark.django_db


def test_field_app_worker_is_served_at_the_root_from_our_own_files():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"  # a new worker is picked up on the next visit
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", body).group(1))
    urls = [*config["scripts"].values(), *config["modules"].values(), *config["precache"]]
    assert all(u.startswith("/static/") for u in urls)  # no CDN
    for url in urls:
        assert finders.find(url.removeprefix("/static/").split("?")[0]), url
    staff = [re.compile(p) for p in config["staffPages"]]
    assert any(p.match("/ar/contacts/new/") for p in staff)
    assert any(p.match("/pt-br/outreach/events/12/attendance/") for p in staff)
    assert not any(p.match("/en/contacts/") or p.match("/en/dashboard/") for p in staff)
    public = [re.compile(p) for p in config["publicPages"]]
    assert any(p.match("/ar/") for p in public) and any(p.match("/so/events/") for p in public)
    assert not any(p.match("/en/concerns/new/") for p in public)  # a form is never served stale


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl"), ("es", "ltr")])
def test_field_app_manifest_speaks_the_language_of_its_address(lang, direction):
    response = Client().get(f"/{lang}/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["lang"], manifest["dir"]) == (lang, direction)
    assert manifest["start_url"] == f"/{lang}/contacts/new/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    assert any(i["purpose"] == "maskable" for i in manifest["icons"])
    if lang != "en":
        english = Client().get("/en/manifest.webmanifest").json()
        assert manifest["description"] != english["description"]


def test_field_app_offline_page_keeps_the_emergency_line():
    page = Client().get("/ar/offline/").content.decode()
    assert 'dir="rtl"' in page and "911" in page


def test_field_app_staff_pages_name_the_accounts_device_store_and_public_pages_do_not():
    liaison = LiaisonFactory()
    client = Client()
    public = client.get("/en/")
    assert "X-Bridge-Store" not in public and 'id="bridge-offline"' not in public.content.decode()
    assert 'rel="manifest"' not in public.content.decode()
    client.force_login(liaison.user)
    page = client.get("/en/contacts/new/")
    assert page["X-Bridge-Store"] == store_id(liaison.user)
    html = page.content.decode()
    config = json.loads(
        re.search(r'<script id="bridge-offline" type="application/json">(.*?)</script>', html).group(1)
    )
    assert config["store"] == store_id(liaison.user)
    assert liaison.user.username not in config["store"]
    assert 'rel="manifest"' in html and 'data-offline-kind="contact"' in html
    assert store_id(LiaisonFactory().user) != config["store"]
