"""Schemathesis (from PyPI) against the project's own OpenAPI schema: for every operation, a
bounded number of generated requests, real database, with a token that has every scope.
0 server errors and 0 answers that break the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from liaison.models import Assignment
from tests.factories import CommunityFactory, LiaisonFactory, past_event

from .conftest import make_token

EXAMPLES = 20  # per operation: 16 operations, a few seconds each
# Valid-looking data the rules refuse (a community id that does not exist, a date in the
# future) is answered 400 with its reason: that is the API working, not breaking its schema.
EXCLUDED = (
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
)


# The schema the app serves, read through the app itself when the module loads (no database
# is touched: the schema view reads the URLconf only).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _as_the_test_client_does(db, settings):
    settings.FEEDBACK_SUBMIT_RATE = "100000/h"
    settings.FEEDBACK_TRACK_RATE = "100000/h"
    # As Django's test client does: the WSGI handler would otherwise close the test's
    # database connection (and its transaction) after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def everything_token(db, role_user):
    import datetime as dt

    from django.contrib.auth.models import Group

    liaison = LiaisonFactory()
    for role in ("Commander", "Coordinator"):
        liaison.user.groups.add(Group.objects.get(name=role))
    community = CommunityFactory()
    Assignment.objects.create(liaison=liaison, community=community, starts_on=dt.date(2024, 1, 1))
    past_event(liaison, [community])
    scopes = ["contacts:read", "contacts:write", "events:read", "events:write", "figures:read"]
    return make_token(liaison.user, scopes, days=1)


def _excluded():
    from schemathesis.checks import CHECKS

    return [CHECKS.get_by_names([name])[0] for name in EXCLUDED if name in CHECKS.get_all_names()]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    derandomize=True,
)
def test_api_answers_within_its_schema_and_never_fails(case, everything_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {everything_token}"}, excluded_checks=_excluded()
    )
