"""Two host names serve two agencies, each with its own name and languages; one agency alone
(the default) looks as Bridge always did."""

import ipaddress
import secrets

import pytest
from django.conf import settings

from agencies.services import agency_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "a.example", "b.example"]
    a = agency_create(slug="alder", name="Alder County Liaison", domain="a.example", languages=["en", "es"])
    b = agency_create(
        slug="birch",
        name="Birch City Liaison",
        domain="b.example",
        languages=["en", "ar"],
        default_language="ar",
    )
    return a, b


def test_two_host_names_serve_their_own_names_and_languages(client, two_agencies):
    a_page = client.get("/en/", HTTP_HOST="a.example").content.decode()
    b_page = client.get("/en/", HTTP_HOST="b.example").content.decode()
    assert "Alder County Liaison" in a_page and "Birch City Liaison" not in a_page
    assert "Birch City Liaison" in b_page and "Alder County Liaison" not in b_page
    assert 'value="es"' in a_page and 'value="ar"' not in a_page
    assert 'value="ar"' in b_page and 'value="es"' not in b_page
    # Spanish is Alder's, not Birch's: Birch sends it to its default language.
    assert client.get("/es/", HTTP_HOST="a.example").status_code == 200
    response = client.get("/es/", HTTP_HOST="b.example")
    assert response.status_code == 302 and response["Location"] == "/ar/"


def test_visitors_of_two_agencies_do_not_share_a_rate_limit(client, two_agencies, settings):
    settings.RATELIMIT_ENABLE = True
    a, b = two_agencies
    from agencies.services import agency_update

    a.submit_rate = b.submit_rate = "1/h"
    agency_update(agency=a)
    agency_update(agency=b)
    from agencies import context
    from feedback import ratelimits

    class Visitor:  # the one address both agencies see (new each run: the cache outlives it)
        META = {"REMOTE_ADDR": str(ipaddress.IPv4Address(0x0A000000 | secrets.randbits(24)))}

    with context.use(a):
        assert not ratelimits.hit(Visitor, ratelimits.SUBMIT).limited
        assert ratelimits.hit(Visitor, ratelimits.SUBMIT).limited
    with context.use(b):
        assert not ratelimits.hit(Visitor, ratelimits.SUBMIT).limited


def test_one_agency_alone_looks_as_before(client):
    page = client.get("/en/").content.decode()
    assert str(settings.BRIDGE_UNIT_NAME) in page
    assert "agency-name" not in page  # the header is the one it always was
    for code in ("en", "es", "ar", "ne"):
        assert f'value="{code}"' in page
    assert client.get("/fr/").status_code == 200
