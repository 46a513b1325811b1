"""The concern queue's partial index covers exactly the statuses the queue calls open."""

from feedback.models import Concern


def test_the_open_queue_index_names_the_open_statuses():
    index = next(i for i in Concern._meta.indexes if i.name == "concern_open_queue")
    ((lookup, statuses),) = index.condition.children
    assert lookup == "status__in"
    assert sorted(statuses) == sorted(Concern.OPEN_STATUSES)
