"""The upgrade to many agencies, run for real: a deployment's records and accounts from before
agencies existed all belong to one first agency afterwards."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_upgrade_moves_existing_records_and_accounts_into_a_first_agency():
    executor = MigrationExecutor(connection)
    # Back to before agencies (and so before every app's agency field).
    old = executor.migrate([("agencies", None)]).apps
    user = old.get_model("auth", "User").objects.create(username="ortiz")
    community = old.get_model("liaison", "PriorityCommunity").objects.create(
        name="Bhutanese Nepali", slug="bhutanese", active_from="2020-01-01", languages=["ne"]
    )

    executor = MigrationExecutor(connection)
    new = executor.migrate(executor.loader.graph.leaf_nodes()).apps
    agency = new.get_model("agencies", "Agency").objects.get()
    assert agency.slug == "main" and agency.name == "Community Liaison Unit"
    assert new.get_model("liaison", "PriorityCommunity").objects.get(pk=community.pk).agency_id == agency.pk
    assert new.get_model("agencies", "Membership").objects.get(user_id=user.pk).agency_id == agency.pk
