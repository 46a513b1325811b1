"""Builders for engagement tests."""

import datetime as dt

from django.test import Client

from liaison.models import Assignment, LanguageSkill
from tests.factories import LiaisonFactory


def speaker(community=None, languages=(("zh", 2),), **kwargs):
    """An active liaison with these (language, proficiency) skills, assigned to `community`."""
    liaison = LiaisonFactory(**kwargs)
    for code, level in languages:
        LanguageSkill.objects.create(liaison=liaison, language=code, proficiency=level)
    if community is not None:
        Assignment.objects.create(liaison=liaison, community=community, starts_on=dt.date(2020, 1, 1))
    return liaison


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
