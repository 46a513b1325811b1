"""The contact log's defaults: the kind logged last, and the language last used with the
liaison's community, not whatever the last contact of any community was (issue 11)."""

import datetime as dt

import pytest

from liaison.forms import ContactForm
from liaison.models import Assignment, Contact
from tests.factories import CommunityFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


def _contact(liaison, community, language, kind):
    contact = Contact.objects.create(
        liaison=liaison, date=dt.date.today(), kind=kind, people_reached=2, language=language
    )
    contact.communities.set([community])
    return contact


def test_contact_defaults_follow_the_community_and_the_last_kind():
    liaison = LiaisonFactory()
    somali, other = CommunityFactory(), CommunityFactory()
    Assignment.objects.create(liaison=liaison, community=somali, starts_on=dt.date(2024, 1, 1))
    _contact(liaison, somali, "so", Contact.Kind.INFORMAL_VISIT)
    _contact(liaison, other, "en", Contact.Kind.PHONE_CALL)  # the latest, with another community
    form = ContactForm(liaison=liaison)
    assert form.initial["communities"] == [somali.pk]
    assert form.initial["language"] == "so"
    assert form.initial["kind"] == Contact.Kind.PHONE_CALL
    html = form["communities"].as_widget()
    assert f'value="{somali.pk}"' in html and 'data-last-language="so"' in html
