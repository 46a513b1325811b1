"""Coordinators publish policy pages from the staff pages; everyone else is refused."""

import pytest

from policies.models import Policy, PolicyVersion

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title_en": "Confidentiality policy, 2026",
        "summary_en": "We never ask about immigration status.",
        "body_en": "First paragraph.\r\n\r\nSecond paragraph.",
        "title_ar": "سياسة السرية ٢٠٢٦",
        "body_ar": "الفقرة الأولى.",
        "effective_on": "2026-07-01",
        "change_note": "Added the second paragraph",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role,status", [("Liaison officer", 403), ("Commander", 403), ("Coordinator", 200)])
def test_staff_policy_pages_are_for_coordinators(client, role_user, make_policy, role, status):
    policy = make_policy()
    client.force_login(role_user(role))
    for url in ("/en/staff/policies/", "/en/staff/policies/new/", f"/en/staff/policies/{policy.pk}/publish/"):
        assert client.get(url).status_code == status, url
    assert client.post(f"/en/staff/policies/{policy.pk}/publish/", _form()).status_code == (
        302 if status == 200 else 403
    )


def test_staff_policy_pages_send_anonymous_visitors_to_sign_in(client, make_policy):
    policy = make_policy()
    response = client.get(f"/en/staff/policies/{policy.pk}/publish/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_publish_form_is_prefilled_with_the_current_version_in_every_language(
    client, coordinator, make_policy
):
    policy = make_policy()
    client.force_login(coordinator)
    html = client.get(f"/en/staff/policies/{policy.pk}/publish/").content.decode()
    assert 'value="Confidentiality policy"' in html and 'value="سياسة السرية"' in html
    assert 'id="translation-ar"' in html and 'id="translation-so"' in html  # a panel per language
    assert 'lang="ar" dir="rtl"' in html
    assert "Publishing makes version 2" in html


def test_staff_publish_makes_the_next_version_and_keeps_the_first(client, coordinator, make_policy):
    policy = make_policy()
    client.force_login(coordinator)
    response = client.post(f"/en/staff/policies/{policy.pk}/publish/", _form(), follow=True)
    html = response.content.decode()
    assert "Version 2 is published" in html and "<p>Second paragraph.</p>" in html
    assert [v.number for v in PolicyVersion.objects.filter(policy=policy)] == [2, 1]
    assert PolicyVersion.objects.get(policy=policy, number=1).title_en == "Confidentiality policy"


def test_staff_new_policy_page_publishes_version_one(client, coordinator):
    client.force_login(coordinator)
    data = _form(kind="complaints", slug="complaints", position="3", change_note="")
    response = client.post("/en/staff/policies/new/", data)
    assert response.status_code == 302 and response["Location"] == "/en/policies/complaints/"
    assert Policy.objects.get(slug="complaints").versions.get().number == 1


def test_staff_publish_bad_input_says_what_is_wrong_in_the_readers_language_and_keeps_the_text(
    client, coordinator, make_policy
):
    policy = make_policy()
    client.force_login(coordinator)
    response = client.post(
        f"/es/staff/policies/{policy.pk}/publish/",
        _form(
            title_en="",
            effective_on="not a date",
            change_note="",
            title_ar="عنوان محفوظ",
            body_en="Kept text",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "escriba un título en inglés" in html.lower()  # the reader's language
    assert "Introduzca una fecha válida" in html
    assert "Enter a title" not in html
    assert 'value="عنوان محفوظ"' in html and "Kept text" in html  # nothing lost
    assert PolicyVersion.objects.filter(policy=policy).count() == 1


def test_staff_new_policy_refuses_a_second_page_of_the_same_kind(client, coordinator, make_policy):
    make_policy()
    client.force_login(coordinator)
    response = client.post(
        "/en/staff/policies/new/", _form(kind="confidentiality", slug="another", position="0")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a page of this kind already" in html
    assert 'value="another"' in html and Policy.objects.count() == 1


def test_staff_policy_list_query_count(client, coordinator, make_policy, django_assert_num_queries):
    for i in range(6):
        make_policy(kind="other", slug=f"page-{i}")
    client.force_login(coordinator)
    client.get("/en/staff/policies/")  # the session and permissions cached as on any visit
    html = client.get("/en/staff/policies/").content.decode()
    assert html.count("Publish a new version") == 6
