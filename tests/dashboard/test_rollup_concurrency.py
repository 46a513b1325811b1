"""The running totals under real concurrency on PostgreSQL: several threads, each with its own
connection, insert, edit (date, kind, language, liaison, communities) and delete the same few
contacts for a bounded time, while another adds and removes links outside the services and
another folds the deltas. Afterwards every figure equals a recount of the raw rows, and no
write died of a deadlock."""

import datetime as dt
import random
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction

from dashboard import rollup, selectors
from liaison import services
from liaison.models import Contact
from liaison.quarters import Quarter
from tests.factories import CommunityFactory, LiaisonFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECONDS = 6  # bounded: the whole test takes about ten
TODAY = dt.date.today()
KINDS = [k for k, _l in Contact.Kind.choices]


def _deadlock(exc: BaseException) -> bool:
    return type(exc.__cause__).__name__ == "DeadlockDetected" or "deadlock detected" in str(exc)


def test_rollup_stays_exact_and_never_deadlocks_under_concurrent_writers(postgres):
    actor = UserFactory()
    actor.groups.add(Group.objects.get(name="Coordinator"))
    communities = [CommunityFactory() for _ in range(3)]
    liaisons = [LiaisonFactory(unit=unit) for unit in ("Zone 1", "Zone 2")]
    for _ in range(6):
        services.contact_log(
            actor=actor,
            liaison=liaisons[0],
            date=TODAY,
            kind="event",
            language="en",
            communities=communities[:1],
        )
    deadline = time.monotonic() + SECONDS
    outcomes = {"done": 0, "conflict": 0, "deadlock": [], "error": []}
    lock = threading.Lock()

    def note(key, value=None):
        with lock:
            if value is None:
                outcomes[key] += 1
            else:
                outcomes[key].append(value)

    def values(rng):
        return {
            "date": TODAY - dt.timedelta(days=rng.randrange(0, 200)),  # across months and quarters
            "kind": rng.choice(KINDS),
            "language": rng.choice(["en", "es", "ar"]),
            "people_reached": rng.randrange(1, 40),
            "liaison": rng.choice(liaisons),
            "communities": rng.sample(communities, rng.randrange(1, 4)),
        }

    def contact_ids():
        return list(Contact.objects.values_list("id", flat=True)[:12])

    def writer(seed):
        rng = random.Random(seed)
        try:
            while time.monotonic() < deadline:
                try:
                    ids = contact_ids()
                    op = rng.random()
                    if op < 0.3 or len(ids) < 3:
                        v = values(rng)
                        services.contact_log(actor=actor, **v)
                    elif op < 0.85:
                        contact = Contact.objects.get(pk=rng.choice(ids))
                        services.contact_update(actor=actor, contact=contact, **values(rng))
                    else:
                        services.contact_delete(actor=actor, contact=Contact.objects.get(pk=rng.choice(ids)))
                    note("done")
                except (Contact.DoesNotExist, IntegrityError):
                    note("conflict")  # another thread deleted it, or linked it first: as a user would see
                except DatabaseError as exc:
                    note("deadlock" if _deadlock(exc) else "error", repr(exc))
        finally:
            connection.close()

    def raw_links(seed):
        """Links written outside the services, as the admin does."""
        rng = random.Random(seed)
        try:
            while time.monotonic() < deadline:
                try:
                    with transaction.atomic():
                        community = rng.choice(communities)
                        if rng.random() < 0.5:  # an insert needs no lock of its own
                            Contact.objects.get(pk=rng.choice(contact_ids())).communities.add(community)
                        else:  # a delete locks the contact first, as the services and the admin do
                            contact = Contact.objects.select_for_update().get(pk=rng.choice(contact_ids()))
                            if contact.communities.count() > 1:
                                contact.communities.remove(community)
                    note("done")
                except (Contact.DoesNotExist, IntegrityError, IndexError):
                    note("conflict")
                except DatabaseError as exc:
                    note("deadlock" if _deadlock(exc) else "error", repr(exc))
        finally:
            connection.close()

    def folder():
        try:
            while time.monotonic() < deadline:
                rollup.compact()
                time.sleep(0.05)
        except DatabaseError as exc:
            note("deadlock" if _deadlock(exc) else "error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=raw_links, args=(99,)), threading.Thread(target=folder)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    close_old_connections()

    for line in outcomes["deadlock"] + outcomes["error"]:
        print("PROBLEM", line)
    assert outcomes["deadlock"] == [] and outcomes["error"] == [], outcomes
    assert outcomes["done"] > 50, outcomes  # the threads really wrote, and raced
    # Every figure the dashboard shows, from the totals and deltas, equals the raw recount...
    for days in (0, 100, 200):
        quarter = Quarter.containing(TODAY - dt.timedelta(days=days))
        for filters in (
            selectors.Filters(quarter=quarter),
            selectors.Filters(quarter=quarter, community=communities[1]),
        ):
            kept = selectors.contact_figures(filters, source=selectors.ROLLUP)
            raw = selectors.contact_figures(filters, source=selectors.RAW)
            assert (kept.total_contacts, kept.total_people) == (raw.total_contacts, raw.total_people)
            assert sorted(
                (r["community"].pk, r["contacts"], r["people"]) for r in kept.communities
            ) == sorted((r["community"].pk, r["contacts"], r["people"]) for r in raw.communities)
            assert sorted((r["liaison"].pk, r["contacts"]) for r in kept.liaisons) == sorted(
                (r["liaison"].pk, r["contacts"]) for r in raw.liaisons
            )
    # ... and so does every total row once folded, against a recount from scratch.
    rollup.compact()

    def table(sql):
        with connection.cursor() as cur:
            cur.execute(sql)
            return {tuple(r[:-2]): tuple(r[-2:]) for r in cur.fetchall() if r[-2] or r[-1]}

    sql = [
        "SELECT month, dim, liaison_id, value, contacts, people FROM dashboard_liaisonmonth",
        "SELECT month, dim, community_id, liaison_id, value, contacts, people FROM dashboard_communitymonth",
    ]
    kept = [table(q) for q in sql]
    assert not any(v[0] < 0 for t in kept for v in t.values())  # no negative totals
    rollup.rebuild()
    assert kept == [table(q) for q in sql]
