"""Reads of survey answers: the comments staff read, and the figures for the dashboard."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from liaison.models import PriorityCommunity

from .models import QUESTIONS, SurveyResponse

AGREE = 4  # "Agree" and "Strongly agree"


def min_responses() -> int:
    return int(settings.SURVEY_MIN_RESPONSES)


def comments(*, status: str = "new") -> QuerySet:
    qs = SurveyResponse.objects.exclude(comment_status=SurveyResponse.CommentStatus.NONE)
    if status != "all":
        qs = qs.filter(comment_status=status)
    return qs.select_related("event", "community").order_by("-submitted_on", "-id")


def comment_for_staff(pk: int) -> SurveyResponse:
    return (
        SurveyResponse.objects.select_related("event", "community", "published_comment")
        .exclude(comment_status=SurveyResponse.CommentStatus.NONE)
        .get(pk=pk)
    )


def comments_to_read_count() -> int:
    return SurveyResponse.objects.filter(comment_status=SurveyResponse.CommentStatus.NEW).count()


def _figures() -> dict:
    out = {"answers": Count("pk")}
    for question in QUESTIONS:
        out[question] = Count("pk", filter=Q(**{f"{question}__gte": AGREE}))
    return out


def _answers(agencies: tuple[int, ...] | None) -> QuerySet:
    # agencies: the regional view's sharing agencies; otherwise the agency worked for.
    if agencies is None:
        return SurveyResponse.objects.all()
    return SurveyResponse.all_agencies.filter(agency_id__in=agencies)


def survey_groups(
    *,
    start: dt.date,
    end: dt.date,
    community: PriorityCommunity | None = None,
    agencies: tuple[int, ...] | None = None,
) -> dict:
    """Answers given on days in [start, end), per community chosen (None: not said):
    {community id: {"answers": n, <question>: how many agreed}}."""
    qs = _answers(agencies).filter(submitted_on__gte=start, submitted_on__lt=end)
    if community is not None:
        qs = qs.filter(community=community)
    rows = qs.order_by().values("community").annotate(**_figures())
    return {r.pop("community"): r for r in rows}


def survey_days(*, start: dt.date, end: dt.date, community: PriorityCommunity | None = None) -> list[dict]:
    """Answers per day in [start, end) (one grouped query; a trend folds them into quarters):
    [{"day", "answers", <question>: how many agreed}]."""
    qs = SurveyResponse.objects.filter(submitted_on__gte=start, submitted_on__lt=end)
    if community is not None:
        qs = qs.filter(community=community)
    rows = qs.order_by().values("submitted_on").annotate(**_figures())
    return [{"day": r.pop("submitted_on"), **r} for r in rows]
