"""The second wall: PostgreSQL row-level security holds with no filter in the query at all,
and no model escapes the decision "agency-owned or deployment-wide"."""

import psycopg2
import pytest
from django.apps import apps
from django.db import transaction

from agencies import context, rls
from agencies import services as agency_services
from agencies.managers import AgencyManager
from agencies.models import Agency, AgencyOwned
from liaison.models import Partner
from tests.factories import ContactFactory, LiaisonFactory

# Concrete models of the project's apps that belong to no agency, and why.
DEPLOYMENT_WIDE = {
    "agencies.Agency": "the agencies themselves",
    "agencies.Membership": "places an account in an agency; read by the operators and sign-in",
    "liaison.Topic": "the topics every agency's contacts are logged under",
    "feedback.ConcernCategory": "the categories every agency's concerns are filed under",
    "dashboard.Dashboard": "no table: carries the dashboard's permissions",
    "dashboard.LiaisonMonth": "totals per liaison: scoped by joining the liaison (dashboard.selectors._scoped)",
    "dashboard.CommunityMonth": "the same, per community",
    "dashboard.LiaisonDelta": "the totals' pending changes, read the same way",
    "dashboard.CommunityDelta": "the same, per community",
}
PROJECT_APPS = (
    "agencies",
    "audit",
    "liaison",
    "messaging",
    "outreach",
    "feedback",
    "surveys",
    "policies",
    "engagement",
    "dashboard",
    "api",
    "languages",
    "bridge",
)


@pytest.fixture
def two(postgres):
    a = Agency.objects.get(pk=context.default_agency_id())
    b = agency_services.agency_create(slug="b", name="Agency B", domain="b.example")
    ContactFactory(liaison=LiaisonFactory())
    with context.use(b):
        ContactFactory(liaison=LiaisonFactory())
    yield a, b
    rls.leave()


def _raw(sql, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def test_rls_a_raw_query_without_a_filter_sees_only_the_bound_agency(two):
    a, b = two
    tables = rls.agency_tables()
    assert "liaison_contact" in tables
    assert {r[0] for r in _raw("SELECT agency_id FROM liaison_contact")} == {a.pk, b.pk}
    assert rls.enter(a.pk)
    assert _raw("SELECT current_user, current_setting('bridge.agency')") == [(rls.ROLE, str(a.pk))]
    for table in tables:  # about thirty tables, one query each
        agencies = {r[0] for r in _raw(f"SELECT DISTINCT agency_id FROM {table}")}  # noqa: S608 - model table names
        assert agencies <= {a.pk}, table
    assert {r[0] for r in _raw("SELECT agency_id FROM liaison_contact")} == {a.pk}
    rls.leave()
    assert _raw("SELECT current_user") != [(rls.ROLE,)]
    assert {r[0] for r in _raw("SELECT agency_id FROM liaison_contact")} == {a.pk, b.pk}


def test_rls_refuses_writing_a_row_of_another_agency(two):
    a, b = two
    b_contact = _raw("SELECT id FROM liaison_contact WHERE agency_id = %s", [b.pk])[0][0]
    a_contact = _raw("SELECT id FROM liaison_contact WHERE agency_id = %s", [a.pk])[0][0]
    assert rls.enter(a.pk)
    with pytest.raises(Exception) as refused, transaction.atomic():
        _raw("UPDATE liaison_contact SET agency_id = %s WHERE id = %s", [b.pk, a_contact])
    assert isinstance(refused.value.__cause__, psycopg2.Error)
    assert "row-level security" in str(refused.value)
    with pytest.raises(Exception) as refused, transaction.atomic():
        Partner.all_agencies.create(agency=b, name="Written for B from A", kind=Partner.Kind.CBO)
    assert isinstance(refused.value.__cause__, psycopg2.Error)
    assert "row-level security" in str(refused.value)
    # B's row is not even there to change: nothing is updated.
    with transaction.atomic():
        assert _raw("UPDATE liaison_contact SET people_reached = 99 WHERE id = %s", [b_contact]) == 0
    rls.leave()
    assert _raw("SELECT people_reached FROM liaison_contact WHERE id = %s", [b_contact])[0][0] != 99


def test_rls_the_change_log_of_another_agency_is_behind_the_wall_too(two):
    """django-auditlog's diffs (a changed contact's or submitter's details) have no agency
    column; each belongs to the agency of its mirror on the trail, and a raw query bound to A
    reads none of B's, while A's own new changes are still logged and read."""
    a, b = two
    owner_view = dict(
        _raw("SELECT l.id, e.agency_id FROM auditlog_logentry l JOIN audit_entry e ON e.log_entry_id = l.id")
    )
    assert set(owner_view.values()) == {a.pk, b.pk}
    assert rls.enter(a.pk)
    seen = {r[0] for r in _raw("SELECT id FROM auditlog_logentry")}
    assert seen == {pk for pk, agency in owner_view.items() if agency == a.pk}
    with transaction.atomic():
        contact = ContactFactory(liaison=LiaisonFactory())
    logged_sql = (
        "SELECT count(*) FROM auditlog_logentry WHERE object_id = %s AND content_type_id IN "
        "(SELECT id FROM django_content_type WHERE app_label = 'liaison' AND model = 'contact')"
    )
    logged = _raw(logged_sql, [contact.pk])[0][0]
    assert logged > 0
    b_change = next(pk for pk, agency in owner_view.items() if agency == b.pk)
    with transaction.atomic():
        assert _raw("DELETE FROM auditlog_logentry WHERE id = %s", [b_change]) == 0
    rls.leave()
    assert _raw("SELECT count(*) FROM auditlog_logentry WHERE id = %s", [b_change]) == [(1,)]
    assert _raw(logged_sql, [contact.pk])[0][0] == logged


def test_rls_every_agency_owned_model_has_its_policy(postgres):
    policies = {r[0] for r in _raw("SELECT tablename FROM pg_policies WHERE policyname = 'agency_isolation'")}
    tables = set(rls.agency_tables())
    owned = {
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, AgencyOwned) and m._meta.managed and not m._meta.proxy
    }
    assert owned == tables
    assert tables - policies == set(), "run agencies.rls.install in a migration for the new tables"


def test_rls_every_model_is_agency_owned_or_deployment_wide_by_decision():
    undecided, managers = [], []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        if issubclass(model, AgencyOwned):
            if not isinstance(model._default_manager, AgencyManager):
                managers.append(model._meta.label)
        elif model._meta.label not in DEPLOYMENT_WIDE:
            undecided.append(model._meta.label)
    assert undecided == [], "make these AgencyOwned, or list them in DEPLOYMENT_WIDE with a reason"
    assert managers == [], "an agency-owned model's default manager must be the tenant manager"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_the_database_dropped_is_replaced_at_the_next_request(client):
    """After a database restart a kept-alive connection is dead: binding it to the agency
    must not fail every request until the connection is old enough to be closed."""
    from django.db import connection

    connection.ensure_connection()
    # As Django's request_started handler leaves a kept connection: due a health check.
    connection.health_check_enabled = True
    connection.health_check_done = False
    connection.connection.close()  # what a restart of PostgreSQL does to it
    assert client.get("/en/").status_code == 200
