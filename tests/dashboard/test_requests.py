"""The dashboard's "Engagement requests": open requests by status and urgency, raised and
closed in the quarter, days to first engagement; each figure equals a recount of the rows."""

import csv
import datetime as dt
import io
import random
import statistics

import pytest
from django.utils import timezone

from engagement.models import EngagementRequest
from liaison.quarters import Quarter
from tests.factories import CommunityFactory, UserFactory

from .helpers import small_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(client, role_user):
    client.force_login(role_user("Commander"))
    return client


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _rows(quarter: Quarter, n: int = 40):
    """Requests raised before, in and after the quarter, in every status, some engaged."""
    rng = random.Random(16)
    small_unit(quarter)  # contacts in the quarter: the dashboard shows figures for it
    by = UserFactory()
    communities = [CommunityFactory(), CommunityFactory()]
    start = quarter.start - dt.timedelta(days=60)
    for i in range(n):
        requested = _at(start + dt.timedelta(days=rng.randrange(150)), rng.randrange(8, 18))
        status = rng.choice(EngagementRequest.Status.values)
        engaged = (
            requested + dt.timedelta(hours=rng.randrange(1, 400))
            if status != "requested" and rng.random() < 0.8
            else None
        )
        closed = (
            (engaged or requested) + dt.timedelta(days=rng.randrange(1, 40)) if status == "closed" else None
        )
        req = EngagementRequest.objects.create(
            subject=f"Request {i}",
            requested_by=by,
            status=status,
            urgency=rng.choice([1, 2, 3]),
            closed_at=closed,
        )
        EngagementRequest.objects.filter(pk=req.pk).update(requested_at=requested, first_engaged_at=engaged)
        req.communities.set(communities[: 1 + i % 2])
    return communities


def _recount(quarter: Quarter, community=None):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(quarter.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = list(EngagementRequest.objects.all())
    if community is not None:
        rows = [r for r in rows if community in r.communities.all()]
    open_grid = {}
    for r in rows:
        if r.status != "closed":
            open_grid[(r.status, r.urgency)] = open_grid.get((r.status, r.urgency), 0) + 1
    raised = [r for r in rows if start <= r.requested_at < end]
    days = [
        (r.first_engaged_at - r.requested_at).total_seconds() / 86400 for r in raised if r.first_engaged_at
    ]
    return {
        "grid": open_grid,
        "open": sum(open_grid.values()),
        "raised": len(raised),
        "closed": sum(1 for r in rows if r.closed_at and start <= r.closed_at < end),
        "engaged": len(days),
        "not_engaged": len(raised) - len(days),
        "median": round(statistics.median(days), 1) if days else None,
        "mean": round(statistics.fmean(days), 1) if days else None,
    }


def test_requests_figures_equal_a_recount_of_the_rows(commander):
    quarter = Quarter.current().previous()
    communities = _rows(quarter)
    for community in (None, communities[1]):
        params = {"quarter": quarter.key, **({"community": community.pk} if community else {})}
        response = commander.get("/en/dashboard/", params)
        fig = response.context["requests"]
        want = _recount(quarter, community)
        assert fig["grid"] == want["grid"]
        assert (fig["open"], fig["raised"], fig["closed"]) == (want["open"], want["raised"], want["closed"])
        assert (fig["engaged"], fig["not_engaged"]) == (want["engaged"], want["not_engaged"])
        assert (fig["median_days"], fig["mean_days"]) == (want["median"], want["mean"])
        assert want["raised"] and want["open"]
        page = response.content.decode()
        assert 'id="requests"' in page and "Open requests by status and urgency" in page
        for row in fig["rows"]:
            assert row["total"] == sum(n for (s, _u), n in want["grid"].items() if s == row["status"])


def test_requests_figures_are_in_the_export(commander):
    quarter = Quarter.current().previous()
    _rows(quarter, 12)
    response = commander.get("/en/dashboard/export/figures.csv", {"quarter": quarter.key})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    want = _recount(quarter)
    assert ["Open engagement requests"] in rows
    assert ["Raised", str(want["raised"])] in rows and ["Not yet engaged", str(want["not_engaged"])] in rows
    section = rows[rows.index(["Open engagement requests"]) :]
    total = next(r for r in section if r and r[0] == "Total")
    assert total[-1] == str(want["open"])


def test_requests_section_costs_the_same_queries_with_more_requests(commander):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quarter = Quarter.current().previous()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert commander.get("/en/dashboard/", {"quarter": quarter.key}).status_code == 200
        return len(ctx.captured_queries)

    _rows(quarter, 1)
    few = count()
    _rows(quarter, 30)
    assert count() == few
