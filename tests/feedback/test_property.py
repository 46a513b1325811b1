"""1,500 random inputs (400 form posts, 1,100 look-ups) to the public form and the tracking
pages: never a server error, and nothing half-saved (a concern exists only with its first
history row). Rate limiting is off here: it would turn most requests into a 429."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.models import Concern, ConcernCategory, StatusChange

pytestmark = pytest.mark.django_db

# Any text a browser could send (no lone surrogates: they cannot be encoded as UTF-8).
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
LONG_TEXT = st.one_of(TEXT, st.text(alphabet="ab <>&\"'\n\x00", min_size=3990, max_size=4010))
HYPOTHESIS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@pytest.fixture
def no_rate_limits(settings):
    settings.RATELIMIT_ENABLE = False


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def form_posts(draw):
    pks = list(ConcernCategory.objects.values_list("pk", flat=True))
    fields = {
        "category": _maybe(st.one_of(st.sampled_from([str(p) for p in pks]), TEXT)),
        "text": _maybe(LONG_TEXT),
        "community": _maybe(st.one_of(st.just(""), TEXT, st.integers().map(str))),
        "place": _maybe(TEXT),
        "contact_method": _maybe(st.one_of(st.sampled_from(["none", "email", "phone"]), TEXT)),
        "email": _maybe(st.one_of(st.emails().map(str), TEXT)),
        "phone": _maybe(st.one_of(st.from_regex(r"\+?[0-9 ()\-]{0,20}", fullmatch=True), TEXT)),
        "language": _maybe(st.one_of(st.sampled_from(["en", "es", "ar"]), TEXT)),
        "website": _maybe(st.one_of(st.just(""), TEXT)),
    }
    data = {k: v for k, v in ((k, draw(s)) for k, s in fields.items()) if v is not None}
    extra = draw(st.dictionaries(TEXT.filter(bool), TEXT, max_size=3))
    return {**extra, **data}, draw(st.sampled_from(["en", "es", "ar"]))


@HYPOTHESIS
@given(post=form_posts())
def test_property_public_form_never_errors_and_never_half_saves(client, no_rate_limits, post):
    data, lang = post
    before = Concern.objects.count()
    response = client.post(f"/{lang}/concerns/new/", data)
    assert response.status_code in (302, 400)
    created = Concern.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
    if created:
        concern = Concern.objects.latest("id")
        assert concern.text.strip() and len(concern.text) <= 4000
        assert StatusChange.objects.filter(concern=concern).count() == 1


@settings(
    max_examples=550,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(code=TEXT, lang=st.sampled_from(["en", "es", "ar"]))
def test_property_tracking_lookup_never_errors(client, no_rate_limits, code, lang):
    response = client.get(f"/{lang}/concerns/track/", {"code": code})
    assert response.status_code in (200, 302, 400, 404)


@settings(
    max_examples=550,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(code=TEXT.filter(bool), lang=st.sampled_from(["en", "es", "ar"]))
def test_property_status_page_never_errors(client, no_rate_limits, code, lang):
    response = client.get(f"/{lang}/concerns/track/{quote(code, safe='')}/")
    assert response.status_code in (200, 301, 302, 400, 404)
