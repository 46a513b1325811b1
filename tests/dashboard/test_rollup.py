"""The running totals (PostgreSQL triggers) always equal the figures counted from the raw
contacts, after any mix of creates, edits and deletes made through the liaison services."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import rollup, selectors
from dashboard.models import CommunityMonth, LiaisonMonth
from liaison import services
from liaison.models import Contact
from liaison.quarters import Quarter
from tests.factories import CommunityFactory, LiaisonFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = [k for k, _l in Contact.Kind.choices]
LANGS = ["en", "es", "ar", "ne"]
TODAY = dt.date.today()
DAYS = 400  # about five quarters back: edits move contacts across months and quarters


@pytest.fixture
def world(postgres):
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    communities = [CommunityFactory() for _ in range(3)]
    liaisons = [LiaisonFactory(unit=unit) for unit in ("Zone 1", "Zone 1", "Zone 2")]
    return {"actor": coordinator, "communities": communities, "liaisons": liaisons}


fields = st.fixed_dictionaries(
    {
        "liaison": st.integers(0, 2),
        "date": st.integers(0, DAYS),
        "kind": st.sampled_from(KINDS),
        "language": st.sampled_from(LANGS),
        "interpreter_used": st.booleans(),
        "people_reached": st.integers(1, 500),
        "communities": st.sets(st.integers(0, 2), min_size=1, max_size=3),
    }
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), fields),
        st.tuples(st.just("edit"), st.integers(0, 50), fields),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=25,
)


def _apply(world, op):
    def values(f):
        return {
            "date": TODAY - dt.timedelta(days=f["date"]),
            "kind": f["kind"],
            "language": f["language"],
            "interpreter_used": f["interpreter_used"],
            "people_reached": f["people_reached"],
            "communities": [world["communities"][i] for i in sorted(f["communities"])],
        }

    existing = list(Contact.objects.order_by("id"))
    if op[0] == "create":
        f = op[1]
        services.contact_log(actor=world["actor"], liaison=world["liaisons"][f["liaison"]], **values(f))
    elif op[0] == "edit" and existing:
        f = op[2]
        contact = existing[op[1] % len(existing)]
        services.contact_update(actor=world["actor"], contact=contact, **values(f))
    elif op[0] == "delete" and existing:
        services.contact_delete(actor=world["actor"], contact=existing[op[1] % len(existing)])


def _snapshot(fig):
    return {
        "total": (fig.total_contacts, fig.total_people, fig.interpreter),
        "liaisons": sorted((r["liaison"].pk, r["contacts"], r["people"]) for r in fig.liaisons),
        "communities": sorted((r["community"].pk, r["contacts"], r["people"]) for r in fig.communities),
        "gap": sorted(c.pk for c in fig.gap),
        "kinds": sorted((r["code"], r["contacts"], r["people"]) for r in fig.kinds),
        "languages": sorted((r["code"], r["contacts"], r["people"]) for r in fig.languages),
        "trend": [(r["quarter"].key, r["contacts"], r["people"]) for r in fig.trend],
    }


def _table(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        return {tuple(row[:-2]): tuple(row[-2:]) for row in cur.fetchall() if row[-2] or row[-1]}


def _totals():
    rollup.compact()  # the deltas the triggers appended, folded into the totals
    return (
        _table("SELECT month, dim, liaison_id, value, contacts, people FROM dashboard_liaisonmonth"),
        _table(
            "SELECT month, dim, community_id, liaison_id, value, contacts, people FROM dashboard_communitymonth"
        ),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(ops=operations)
def test_rollup_equals_figures_counted_from_raw_contacts(world, ops):
    with transaction.atomic():
        for op in ops:
            _apply(world, op)
        kept = _totals()
        # The figures a commander sees, from the totals and from the raw contacts.
        for quarter in [Quarter.containing(TODAY - dt.timedelta(days=d)) for d in (0, 100, 200, 300, 400)]:
            for filters in [
                selectors.Filters(quarter=quarter),
                selectors.Filters(quarter=quarter, unit="Zone 1"),
                selectors.Filters(quarter=quarter, community=world["communities"][1]),
            ]:
                assert _snapshot(selectors.contact_figures(filters, source=selectors.ROLLUP)) == _snapshot(
                    selectors.contact_figures(filters, source=selectors.RAW)
                )
        # And every total row, recounted from scratch.
        rollup.rebuild()
        assert kept == _totals()
        transaction.set_rollback(True)


def test_rollup_a_contact_counts_the_moment_it_is_saved(world, client, role_user):
    """Not a cache: no refresh job stands between a liaison saving and the commander seeing."""
    client.force_login(role_user("Commander"))
    liaison = world["liaisons"][0]
    log = {"actor": world["actor"], "liaison": liaison, "date": TODAY, "kind": "event", "language": "en"}
    services.contact_log(**log, communities=world["communities"][:1])
    before = client.get("/en/dashboard/").context["fig"].total_contacts
    contact = services.contact_log(
        actor=world["actor"],
        liaison=liaison,
        date=TODAY,
        kind="event",
        language="ar",
        people_reached=12,
        communities=world["communities"][:2],
    )
    fig = client.get("/en/dashboard/").context["fig"]
    assert fig.total_contacts == before + 1
    assert {r["community"].pk: r["contacts"] for r in fig.communities}[world["communities"][1].pk] == 1
    services.contact_delete(actor=world["actor"], contact=contact)
    assert client.get("/en/dashboard/").context["fig"].total_contacts == before


def test_rollup_bulk_inserts_are_counted_too(world):
    """The benchmark's seeding uses bulk_create: statement-level triggers count whole batches."""
    liaison = world["liaisons"][2]
    rows = Contact.objects.bulk_create(
        [
            Contact(liaison=liaison, date=TODAY, kind="event", language="en", people_reached=2)
            for _ in range(50)
        ]
    )
    Contact.communities.through.objects.bulk_create(
        [
            Contact.communities.through(contact_id=c.pk, prioritycommunity_id=world["communities"][0].pk)
            for c in rows
        ]
    )
    rollup.compact()
    month = TODAY.replace(day=1)
    assert LiaisonMonth.objects.get(month=month, dim="i", liaison_id=liaison.pk, value="0").contacts == 50
    assert (
        CommunityMonth.objects.get(
            month=month,
            dim="k",
            liaison_id=liaison.pk,
            community_id=world["communities"][0].pk,
            value="event",
        ).people
        == 100
    )


def test_rollup_the_beat_task_folds_the_deltas_and_no_figure_moves(world, settings):
    from dashboard.models import CommunityDelta, LiaisonDelta
    from dashboard.tasks import compact_totals

    assert settings.CELERY_BEAT_SCHEDULE["dashboard-compact-totals"]["task"] == compact_totals.name
    for i in range(3):
        services.contact_log(
            actor=world["actor"],
            liaison=world["liaisons"][i],
            date=TODAY,
            kind="event",
            language="es",
            people_reached=4,
            communities=world["communities"][: i + 1],
        )
    assert LiaisonDelta.objects.exists() and CommunityDelta.objects.exists()  # appended, not folded yet
    filters = selectors.Filters(quarter=Quarter.current())
    before = _snapshot(selectors.contact_figures(filters, source=selectors.ROLLUP))
    assert before["total"][:2] == (3, 12)
    assert compact_totals()["folded"] > 0
    assert not LiaisonDelta.objects.exists() and not CommunityDelta.objects.exists()
    assert _snapshot(selectors.contact_figures(filters, source=selectors.ROLLUP)) == before
    assert compact_totals()["folded"] == 0  # nothing left: a second fold is a no-op
