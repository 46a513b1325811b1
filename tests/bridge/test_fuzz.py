"""Fuzz every public address and form (Hypothesis) with the Django test client against the real
database: NUL and other control characters, percent-encoded bytes that are not UTF-8 (lone
surrogates included), right-to-left marks, very long strings. No answer may be a server error.

Bounded to well under a minute: each test has a fixed number of examples (QUOTA) and sends
one request per example; the quotas add up to more than 2,000 inputs. Rate limits stay on; each
example comes from its own address, as a crowd of visitors would."""

import itertools
import string
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bridge.test_security import PUBLIC_VIEWS, iter_patterns

pytestmark = pytest.mark.django_db

QUOTA = {"paths": 520, "queries": 520, "forms": 640, "raw": 420}
TOTAL = sum(QUOTA.values())
SENT: dict[str, int] = dict.fromkeys(QUOTA, 0)

BASE = settings(
    deadline=None,
    database=None,  # nothing written into the shared checkout
    derandomize=False,
    # `client` is function-scoped: one client for all examples is what we want (a browser).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz(key: str):
    return settings(BASE, max_examples=QUOTA[key])


_addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))

SPECIAL = [
    "\x00",
    "a\x00b",
    "\x00" * 3,
    "\x01\x02\x03\x1b[31m",
    "\x7f",
    "\t\n\r",
    "\u200f",  # right-to-left mark
    "\u202e\u202dabc",  # bidi overrides
    "\u061c\u200e",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
    "é" * 50,
    "K7QM-4XPT-9H",
    "k7qm4xpt9h",
    "OOOO-IIII-LL",
    "ZZZZ-ZZZZ-ZZ\x00",
    "x" * 5000,
    "9" * 400,
    "-1",
    "²",
    "١٢٣",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "%",
    "%zz",
    "null",
    "",
    " ",
]

text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.text(alphabet=string.ascii_letters + string.digits + "-_:", max_size=40),
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "\x00", "\u200f", "é"]), st.integers(1000, 6000)),
)
# Percent-encoded bytes: invalid UTF-8, overlong forms and encoded lone surrogates (ED A0 80).
raw_bytes = st.one_of(
    st.binary(max_size=30),
    st.sampled_from(
        [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"\xff\xfe", b"\xc3", b"\xf4\x90\x80\x80"]
    ),
)


def _path_templates() -> list[str]:
    """Each public route with parameters, as a template whose {} takes a fuzz value."""
    marker = "FUZZMARK"
    routes = [
        reverse("feedback:concern-status", args=[marker]),
        reverse("feedback:followup", args=[marker]),
        "/es/events/{}/survey/",
        reverse("outreach:subscribe-confirm", args=[marker]),
        reverse("outreach:unsubscribe", args=[marker]),
        reverse("password_reset_confirm", args=[marker, marker]),
        "/en/events/{}/",
        "/ar/events/{}/flyer/",
        "/ar/policies/{}/",
        "/en/policies/confidentiality/v{}/",
        "/es/alerts/{}/",
        "/es/{}/",
        "/ar/concerns/{}/",
        "/{}/",
        "/events/{}",
        "/open311/v2/services/{}.json",
        "/open311/v2/services/{}.xml",
        "/open311/v2/requests/{}.json",
        "/open311/v2/requests/{}.xml",
    ]
    return [r.replace(marker, "{}") for r in routes]


PUBLIC_GET = [
    "/en/",
    "/ar/privacy/",
    "/healthz",
    "/favicon.ico",
    "/es/liaisons/",
    "/en/concerns/new/",
    "/ne/concerns/track/",
    "/en/concerns/new/submitted/",
    "/es/you-said-we-did/",
    "/ar/survey/",
    "/en/survey/thanks/",
    "/ar/survey/card/?paper=letter",
    "/en/events/",
    "/ar/alerts/",
    "/es/alerts/feed/",
    "/events/calendar.ics",
    "/ar/subscribe/",
    "/en/subscribe/done/",
    "/en/accounts/login/",
    "/es/accounts/password_reset/",
    "/en/accounts/password_reset/done/",
    "/en/accounts/reset/done/",
    "/i18n/setlang/",
    "/en/accounts/logout/",
    "/en/events/1/",
    "/ar/policies/",
    "/en/policies/confidentiality/",
    "/sw.js",
    "/ar/manifest.webmanifest",
    "/es/offline/",
    # The agency's logo (a 404 while it has none).
    "/ar/agency/logo/",
    # The API (tokens authenticate it, not a session) and its documentation page.
    "/en/api/docs/",
    "/api/schema/",
    "/api/v1/contacts/",
    "/api/v1/contacts/1/",
    "/api/v1/events/",
    "/api/v1/events/1/",
    "/api/v1/events/1/attendance/",
    "/api/v1/figures/",
    "/api/v1/public/events/",
    "/api/v1/public/you-said-we-did/",
    "/open311/v2/services.json",
    "/open311/v2/services.xml",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
]
QUERY_KEYS = ["community", "event", "lang", "language", "page", "code", "next", "q", "status", "\x00", "é"]


def _forms():
    from feedback.models import ConcernCategory

    category = str(ConcernCategory.objects.filter(slug="safety").values_list("pk", flat=True).first())
    return [
        (
            "/en/concerns/new/",
            {
                "category": category,
                "text": "A car drives too fast.",
                "community": "",
                "place": "",
                "contact_method": "none",
                "email": "",
                "phone": "",
                "language": "en",
                "website": "",
            },
        ),
        ("/ar/concerns/track/", {"code": "K7QM-4XPT-9H"}),
        (
            "/es/survey/",
            {
                "respect": "4",
                "would_contact": "5",
                "know_how": "3",
                "community": "",
                "comment": "",
                "website": "",
            },
        ),
        (
            "/es/subscribe/",
            {"channel": "email", "address": "a@example.org", "language": "es", "communities": ""},
        ),
        (
            "/ar/subscribe/",
            {
                "channel": "email",
                "email": "a@example.org",
                "language": "ar",
                "wants_alerts": "on",
                "consent": "on",
            },
        ),
        ("/en/unsubscribe/abcdefghijk/", {"List-Unsubscribe": "One-Click"}),
        ("/i18n/setlang/", {"language": "es", "next": "/es/"}),
        # Unsigned: refused with a 403 whatever the body says, never a 500.
        ("/sms/inbound/", {"From": "+14125550100", "Body": "STOP", "MessageSid": "SM1"}),
        ("/en/accounts/login/", {"username": "nobody", "password": "wrong"}),
        ("/en/accounts/password_reset/", {"email": "nobody@example.org"}),
        (
            "/open311/v2/requests.json",
            {"service_code": "safety", "description": "Too fast.", "lat": "1", "long": "2"},
        ),
        ("/api/v1/contacts/", {"date": "2026-01-01", "kind": "event"}),
    ]


def _check(response, what: str, key: str) -> None:
    SENT[key] += 1
    assert response.status_code < 500, f"{response.status_code} for {what!r}"


@pytest.fixture
def fuzz_client(client):
    client.raise_request_exception = True  # a server error fails with its traceback
    return client


@fuzz("paths")
@given(template=st.sampled_from(_path_templates()), value=text)
def test_fuzz_public_paths_with_codes_slugs_and_tokens(fuzz_client, template, value):
    path = template.replace("{}", quote(value, safe="") or "x")
    response = fuzz_client.get(path, REMOTE_ADDR=next(_addresses))
    _check(response, path, "paths")


@fuzz("queries")
@given(
    url=st.sampled_from(PUBLIC_GET),
    params=st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), text), text, min_size=1, max_size=3),
)
def test_fuzz_public_query_strings(fuzz_client, url, params):
    query = urlencode({k: v for k, v in params.items()})
    response = fuzz_client.get(f"{url}?{query}", REMOTE_ADDR=next(_addresses))
    _check(response, f"{url}?{query}", "queries")


@fuzz("forms")
@given(form=st.integers(0, 6), field=st.integers(0, 8), value=text, extra=st.one_of(st.none(), text))
def test_fuzz_public_forms(fuzz_client, form, field, value, extra):
    url, data = _forms()[form]
    data = dict(data)
    name = list(data)[field % len(data)]
    data[name] = value
    if extra is not None:
        data[extra or "extra"] = value  # an unexpected key, fuzzed too
    response = fuzz_client.post(url, data, REMOTE_ADDR=next(_addresses))
    _check(response, f"POST {url} {name}={value!r}", "forms")


@fuzz("raw")
@given(
    where=st.sampled_from(["path", "query", "body", "cookie"]),
    target=st.sampled_from(
        [
            "/en/concerns/track/{}/",
            "/es/unsubscribe/{}/",
            "/events/calendar.ics?community={}",
            "/en/concerns/new/",
        ]
    ),
    payload=raw_bytes,
)
def test_fuzz_raw_percent_encoded_bytes_and_cookies(fuzz_client, where, target, payload):
    encoded = quote_from_bytes(payload, safe="") or "x"
    addr = next(_addresses)
    if where == "path" and "{}" in target:
        response = fuzz_client.get(target.replace("{}", encoded), REMOTE_ADDR=addr)
    elif where == "query":
        response = fuzz_client.get(f"/en/events/?community={encoded}&page={encoded}", REMOTE_ADDR=addr)
    elif where == "body":
        response = fuzz_client.post(
            "/en/concerns/track/",
            f"code={encoded}&{encoded}=1",
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=addr,
        )
    else:
        value = payload.decode("latin-1")
        fuzz_client.cookies["sessionid"] = value
        fuzz_client.cookies["csrftoken"] = value
        fuzz_client.cookies["django_language"] = value
        try:
            response = fuzz_client.get("/en/concerns/track/", REMOTE_ADDR=addr)
        finally:
            fuzz_client.cookies.clear()
    _check(response, f"{where} {target} {payload!r}", "raw")


def test_fuzz_covers_every_public_view():
    """The targets above reach every public view in the URLconf; a new public view without a
    fuzz target fails here."""
    from django.urls import Resolver404, get_resolver, resolve

    public = {
        pattern.name
        for _route, pattern in iter_patterns(get_resolver())
        if getattr(pattern.callback, "login_required", True) is False
    }
    urls = [u.split("?")[0] for u in PUBLIC_GET] + [u for u, _d in _forms()]
    urls += [t.replace("{}", "1") for t in _path_templates()]
    covered = set()
    for url in urls:
        prefix = url.split("/")[1]
        try:
            # i18n_patterns resolve only the active language's prefix.
            with translation.override(prefix if prefix in {"en", "es", "ar", "ne"} else "en"):
                covered.add(resolve(url).url_name)
        except Resolver404:
            pass
    assert public <= PUBLIC_VIEWS
    assert public - covered == set()


def test_fuzz_sent_at_least_2000_inputs():
    """Runs after the fuzz tests above (file order): each sent its quota, 2,000 or more in all."""
    if not any(SENT.values()):
        pytest.skip("run with the fuzz tests above")
    print(f"fuzz inputs sent: {SENT} = {sum(SENT.values())}")
    assert sum(SENT.values()) >= 2000, SENT
