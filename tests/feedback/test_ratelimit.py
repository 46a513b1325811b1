"""Per-address rate limits: a polite page in the visitor's language that says when to retry."""

import pytest

from feedback.models import Concern
from tests.factories import ConcernFactory
from tests.feedback._html import value

pytestmark = pytest.mark.django_db


def test_submissions_over_the_limit_get_429_with_retry_time_and_text_kept(
    client, settings, concern_form_data
):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    for _i in range(2):
        assert client.post("/es/concerns/new/", concern_form_data(language="es")).status_code == 302
    response = client.post("/es/concerns/new/", concern_form_data(text="Mi tercer mensaje", language="es"))
    html = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert 'lang="es"' in html and 'id="rate-limited"' in html
    assert value(html, "text") == "Mi tercer mensaje"
    assert Concern.objects.count() == 2


def test_invalid_posts_do_not_use_up_the_limit(client, settings, concern_form_data):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    for _i in range(4):
        assert client.post("/en/concerns/new/", concern_form_data(text="")).status_code == 400
    assert client.post("/en/concerns/new/", concern_form_data()).status_code == 302


def test_limit_is_per_address(client, settings, concern_form_data):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    assert client.post("/en/concerns/new/", concern_form_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post("/en/concerns/new/", concern_form_data(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post("/en/concerns/new/", concern_form_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_tracking_lookups_over_the_limit_get_429(client, settings):
    settings.FEEDBACK_TRACK_RATE = "3/h"
    concern = ConcernFactory()
    assert client.post("/ar/concerns/track/", {"code": "ZZZZ-ZZZZ-ZZ"}).status_code == 404
    assert client.post("/ar/concerns/track/", {"code": "ZZZZ-ZZZZ-Z0"}).status_code == 404
    assert client.get(f"/ar/concerns/track/{concern.code}/").status_code == 200
    response = client.get(f"/ar/concerns/track/{concern.code}/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert concern.code_display not in html
    # The POST look-up counts against the same limit, and says when to retry.
    response = client.post("/ar/concerns/track/", {"code": concern.code})
    assert response.status_code == 429
    assert concern.code_display not in response.content.decode()
    # Opening the empty tracking form is not a look-up, with or without an old ?code=.
    assert client.get("/ar/concerns/track/").status_code == 200
    assert client.get("/ar/concerns/track/", {"code": concern.code}, follow=True).status_code == 200


def test_honeypot_hits_count_against_the_limit(client, settings, concern_form_data):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    assert client.post("/en/concerns/new/", concern_form_data(website="x")).status_code == 400
    assert client.post("/en/concerns/new/", concern_form_data()).status_code == 429


def test_a_counted_request_costs_one_pipelined_round_trip_to_redis(rf, settings):
    """INCR and EXPIRE NX sent together: no GET before, no EXISTS + INCR after (issue 12)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from feedback import ratelimits
    from tests.conftest import require

    backend = caches["default"]
    require(isinstance(backend, RedisCache), "Redis as the cache (set CACHE_URL)")
    client = backend._cache.get_client(write=True)
    settings.FEEDBACK_SUBMIT_RATE = "2/h"

    def calls():
        stats = client.info("commandstats")
        return {
            name: stats.get(f"cmdstat_{name}", {}).get("calls", 0)
            for name in ("incrby", "expire", "get", "set", "exists")
        }

    request = rf.post("/en/concerns/new/", REMOTE_ADDR="203.0.113.77")
    before = calls()
    first = ratelimits.hit(request, ratelimits.SUBMIT)
    after = calls()
    assert {k: after[k] - before[k] for k in after} == {
        "incrby": 1,
        "expire": 1,
        "get": 0,
        "set": 0,
        "exists": 0,
    }
    assert not first.limited and not ratelimits.hit(request, ratelimits.SUBMIT).limited
    third = ratelimits.hit(request, ratelimits.SUBMIT)
    assert third.limited and 0 < third.retry_after <= 3600
    assert 0 < client.ttl(next(iter(client.scan_iter("*ratelimit:feedback.concern-submit*")))) <= 3601
