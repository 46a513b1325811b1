"""The home page's promise reads from the published pages, and keeps its built-in text until
they are published."""

import pytest

pytestmark = pytest.mark.django_db

BUILT_IN_PROMISE = "Bridge has no place to record it, and our officers do not ask."
BUILT_IN_EXPECT = "name and badge number."


def test_home_keeps_the_built_in_promise_until_the_pages_are_published(client):
    html = client.get("/en/").content.decode()
    assert BUILT_IN_PROMISE in html and BUILT_IN_EXPECT in html
    assert 'href="/en/policies/"' in html  # the actions list and the footer
    assert html.count('href="/en/policies/"') == 2


def test_home_promise_reads_from_the_published_confidentiality_page(client, make_policy, publish):
    policy = make_policy(summary={"en": "Nobody asks your status.", "ar": "لا أحد يسأل عن وضعك."})
    html = client.get("/en/").content.decode()
    assert "Nobody asks your status." in html and BUILT_IN_PROMISE not in html
    assert 'href="/en/policies/confidentiality/">Confidentiality policy</a>' in html
    assert BUILT_IN_EXPECT in html  # what to expect is not published: built-in text stays
    assert "لا أحد يسأل عن وضعك." in client.get("/ar/").content.decode()
    publish(policy, en_title="Confidentiality policy", en_body="B", summary={"en": "Version two promise."})
    html = client.get("/en/").content.decode()
    assert "Version two promise." in html and "Nobody asks" not in html


def test_home_what_to_expect_reads_from_its_page_with_the_fallback_marked(client, make_policy):
    make_policy(
        kind="what_to_expect",
        slug="what-to-expect",
        title={"en": "What to expect"},
        summary={"en": "Help for everyone, whoever they are."},
        body={"en": "Text"},
    )
    html = client.get("/so/").content.decode()
    assert 'lang="en" dir="ltr">' in html and "Help for everyone, whoever they are." in html
    assert 'href="/so/policies/what-to-expect/"' in html
    assert 'id="fallback-note"' in html


@pytest.mark.parametrize("published", [False, True])
def test_home_query_count(client, make_policy, django_assert_num_queries, published):
    if published:
        make_policy()
        make_policy(kind="what_to_expect", slug="what-to-expect")
    with django_assert_num_queries(1):
        assert client.get("/en/").status_code == 200
