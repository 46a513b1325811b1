"""The public policy pages: in the reader's language with the fallback marked, the version and
its date, earlier versions at their own addresses, 404s for what does not exist."""

import datetime as dt

import pytest

from policies import selectors

pytestmark = pytest.mark.django_db


def test_policy_list_shows_each_page_in_order_with_its_current_version(client, make_policy, publish):
    expect = make_policy(
        kind="what_to_expect", slug="what-to-expect", position=2, title={"en": "What to expect"}
    )
    make_policy(position=1)
    publish(expect, en_title="What to expect from us", en_body="Help for everyone.")
    html = client.get("/en/policies/").content.decode()
    assert html.index("Confidentiality policy") < html.index("What to expect from us")
    assert "Version 2, in effect from June 1, 2026" in html
    assert 'href="/en/policies/what-to-expect/"' in html


def test_policy_detail_in_arabic_is_in_arabic_with_version_and_paragraphs(client, make_policy):
    make_policy()
    html = client.get("/ar/policies/confidentiality/").content.decode()
    assert 'dir="rtl"' in html
    assert "سياسة السرية" in html
    assert "<p>لا نسأل أبداً عن وضع الهجرة.</p>" in html  # one paragraph per blank line
    assert "untranslated" not in html and 'id="fallback-note"' not in html


def test_policy_detail_in_somali_marks_the_english_fallback(client, make_policy):
    make_policy()
    html = client.get("/so/policies/confidentiality/").content.decode()
    assert '<span lang="en" dir="ltr" class="untranslated">Confidentiality policy</span>' in html
    assert 'class="policy-body" lang="en" dir="ltr"' in html
    assert 'id="fallback-note"' in html  # the page says once that some text is not translated


def test_policy_body_is_plain_text_escaped(client, make_policy):
    make_policy(body={"en": "<script>alert(1)</script>\n\nSecond"})
    html = client.get("/en/policies/confidentiality/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html and "<p>Second</p>" in html


def test_policy_earlier_version_stays_readable_and_links_to_the_current(client, make_policy, publish):
    policy = make_policy()
    publish(policy, en_title="Confidentiality policy, 2026", en_body="The new text.")
    current = client.get("/en/policies/confidentiality/").content.decode()
    assert "The new text." in current and "Version 2, in effect from June 1, 2026" in current
    assert 'href="/en/policies/confidentiality/v1/"' in current
    earlier = client.get("/en/policies/confidentiality/v1/").content.decode()
    assert "This is an earlier version (version 1)" in earlier
    assert "We never ask about immigration status." in earlier and "The new text." not in earlier
    assert 'href="/en/policies/confidentiality/"' in earlier
    arabic = client.get("/ar/policies/confidentiality/v1/").content.decode()
    assert "سياسة السرية" in arabic


def test_policy_current_version_by_number_is_not_called_earlier(client, make_policy):
    make_policy()
    html = client.get("/en/policies/confidentiality/v1/").content.decode()
    assert "This is an earlier version" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/en/policies/nothing-here/",
        "/en/policies/confidentiality/v2/",
        "/en/policies/confidentiality/v0/",
        "/en/policies/confidentiality/v99999999999999999999/",
        "/en/policies/nothing-here/v1/",
    ],
)
def test_policy_unknown_page_or_version_is_a_404(client, make_policy, url):
    make_policy()
    assert client.get(url).status_code == 404


def test_policy_pages_print_cleanly(client, make_policy):
    make_policy()
    html = client.get("/en/policies/confidentiality/").content.decode()
    assert "css/policies" in html
    assert "Printed from http://testserver/en/policies/confidentiality/" in html


@pytest.mark.parametrize("pages", [1, 8])
def test_policy_list_query_count(client, make_policy, publish, django_assert_num_queries, pages):
    for i in range(pages):
        policy = make_policy(kind="other", slug=f"page-{i}", position=i)
        publish(policy, en_title=f"Page {i}", en_body="Text")
    with django_assert_num_queries(1):
        response = client.get("/en/policies/")
    assert response.content.decode().count('class="list-group-item"') == pages


@pytest.mark.parametrize("versions", [1, 8])
def test_policy_detail_and_version_query_count(
    client, make_policy, publish, django_assert_num_queries, versions
):
    policy = make_policy()
    for i in range(versions - 1):
        publish(
            policy, en_title=f"T{i}", en_body="B", effective_on=dt.date(2026, 2, 1) + dt.timedelta(days=i)
        )
    with django_assert_num_queries(2):
        assert client.get("/en/policies/confidentiality/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/ar/policies/confidentiality/v1/").status_code == 200
    assert len(selectors.version_list(policy)) == versions
