import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.models import Assignment, Contact, LanguageSkill
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


def log(liaison, **overrides):
    data = {
        "actor": liaison.user,
        "liaison": liaison,
        "date": timezone.localdate(),
        "kind": "informal_visit",
        "communities": [CommunityFactory()],
        "language": "ne",
        "people_reached": 4,
    }
    data.update(overrides)
    return services.contact_log(**data)


def test_contact_log_saves_a_routine_visit():
    liaison = LiaisonFactory()
    contact = log(liaison)
    assert contact.pk and contact.liaison == liaison and contact.communities.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": dt.date.today() + dt.timedelta(days=3)}, "date"),
        ({"people_reached": 0}, "people_reached"),
        ({"people_reached": -5}, "people_reached"),
        ({"follow_up_due": dt.date(2020, 1, 1), "date": dt.date(2024, 5, 1)}, "follow_up_due"),
        ({"communities": []}, "communities"),
    ],
)
def test_contact_log_rejects_bad_input_and_saves_nothing(overrides, field):
    liaison = LiaisonFactory()
    with pytest.raises(ValidationError) as exc:
        log(liaison, **overrides)
    assert field in exc.value.message_dict
    assert Contact.objects.count() == 0


def test_contact_log_rejects_community_not_active_on_the_contact_date():
    liaison = LiaisonFactory()
    old = CommunityFactory(
        name="Ukrainian", active_from=dt.date(2020, 1, 1), active_until=dt.date(2022, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        log(liaison, communities=[old], date=dt.date(2024, 3, 1))
    assert "Ukrainian" in exc.value.message_dict["communities"][0]
    # The same community on a date when it was a priority is fine: history is kept.
    assert log(liaison, communities=[old], date=dt.date(2022, 6, 1)).pk


def test_contact_log_for_another_liaison_is_refused():
    me, other = LiaisonFactory(), LiaisonFactory()
    with pytest.raises(PermissionDenied):
        log(other, actor=me.user)


def test_contact_update_by_commander_is_refused(role_user):
    contact = ContactFactory()
    with pytest.raises(PermissionDenied):
        services.contact_update(actor=role_user("Commander"), contact=contact, people_reached=9)
    contact.refresh_from_db()
    assert contact.people_reached == 3


def test_contact_delete_by_coordinator_is_allowed(role_user):
    contact = ContactFactory()
    services.contact_delete(actor=role_user("Coordinator"), contact=contact)
    assert not Contact.objects.exists()


def test_contact_form_defaults_today_current_community_and_own_language_first(client):
    liaison = LiaisonFactory()
    mine = CommunityFactory(name="Bhutanese")
    CommunityFactory(name="Albanian")
    Assignment.objects.create(liaison=liaison, community=mine, starts_on=dt.date(2024, 1, 1))
    LanguageSkill.objects.create(liaison=liaison, language="ne", proficiency=1)
    client.force_login(liaison.user)
    form = client.get("/en/contacts/new/").context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["people_reached"] == 1
    assert form.initial["communities"] == [mine.pk]
    assert form.initial["language"] == "ne"
    # The liaison's current community is listed first, before alphabetical order.
    assert list(form.fields["communities"].queryset)[0] == mine
    assert str(form.fields["language"].choices[1][0]) == "Your languages"


def test_contact_new_page_logs_then_confirms_with_quarter_count(client):
    liaison = LiaisonFactory()
    community = CommunityFactory()
    client.force_login(liaison.user)
    response = client.post(
        "/en/contacts/new/",
        {
            "date": timezone.localdate().isoformat(),
            "kind": "phone_call",
            "communities": [community.pk],
            "people_reached": "2",
            "language": "es",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contact saved" in html
    assert "Log another" in html
    assert response.context["progress"]["contacts"] == 1
    assert response.context["progress"]["target"] == 36


def test_contact_new_page_bad_input_keeps_what_was_typed_with_messages_in_spanish(client):
    liaison = LiaisonFactory()
    community = CommunityFactory()
    client.force_login(liaison.user)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/es/contacts/new/",
        {
            "date": future,
            "kind": "phone_call",
            "communities": [community.pk],
            "people_reached": "0",
            "language": "es",
            "notes": "Reunión con la junta",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert Contact.objects.count() == 0
    assert "Reunión con la junta" in html
    assert future in html
    assert 'id="error-summary"' in html
    errors = response.context["form"].errors
    assert set(errors) >= {"date", "people_reached"}
    from django.utils import translation

    with translation.override("es"):
        assert translation.gettext("The date cannot be in the future.") in errors["date"]
