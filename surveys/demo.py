"""Demo survey answers for a first look at the dashboard's "What people told us": a year of
answers for most communities (one below the anonymity threshold, to show how a small group is
hidden), a few comments to read and one published as a coordinator's edited copy.
Idempotent: a second run finds answers there and adds none."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from feedback import services as feedback_services
from liaison.models import PriorityCommunity
from liaison.quarters import Quarter

from .models import SurveyResponse

COMMENTS = [
    ("es", "La reunión fue muy útil y había intérprete. Gracias."),
    ("ar", "شكراً على الاجتماع، أتمنى أن يكون هناك لقاء آخر قريباً."),
    ("so", "Waxaan jeclaan lahaa in kulanka la qabto fiidkii."),
    ("ne", "अनुवादक भएकोले धेरै राम्रो भयो।"),
    ("en", "The officer at the door was patient with my mother, who speaks little English."),
]


@transaction.atomic
def seed(*, users: dict, rng: random.Random | None = None) -> int:
    if SurveyResponse.objects.exists():
        return 0
    rng = rng or random.Random(15)
    communities = list(PriorityCommunity.objects.order_by("pk"))
    quarter = Quarter.current()
    quarters = [quarter]
    for _ in range(3):
        quarters.insert(0, quarters[0].previous())
    today = timezone.localdate()
    rows = []
    for index, community in enumerate(communities):
        for step, q in enumerate(quarters):
            # The last community stays under ten answers a quarter: shown as "too few".
            count = 6 if index == len(communities) - 1 else 10 + rng.randrange(15) + 2 * step
            last_day = min(q.end, today)
            span = max(1, (last_day - q.start).days)
            for _ in range(count):
                # Trust that grows a little quarter by quarter, and differs by community.
                lean = step + index % 3
                rows.append(
                    SurveyResponse(
                        source="pulse",
                        community=community,
                        language=rng.choice(["en", "es", "ar", "so", "ne"]),
                        respect=rng.choice([2, 3, 4, 4, 5, 5][: 3 + lean] or [4]),
                        would_contact=rng.choice([1, 2, 3, 3, 4, 4, 5][: 3 + lean]),
                        know_how=rng.choice([1, 2, 2, 3, 4, 5][: 2 + lean]),
                        submitted_on=q.start + dt.timedelta(days=rng.randrange(span)),
                    )
                )
    for language, text in COMMENTS:
        rows.append(
            SurveyResponse(
                source="pulse",
                community=communities[0] if communities else None,
                language=language,
                respect=4,
                would_contact=4,
                know_how=3,
                comment=text,
                comment_status=SurveyResponse.CommentStatus.NEW,
                submitted_on=today,
            )
        )
    SurveyResponse.objects.bulk_create(rows, batch_size=1000)
    coordinator = users.get("coordinator")
    if coordinator is not None:
        first = SurveyResponse.objects.filter(language="en").exclude(comment="").first()
        published = feedback_services.comment_publish(
            actor=coordinator,
            text="An officer was patient with my mother, who speaks little English.",
            language="en",
        )
        SurveyResponse.objects.filter(pk=first.pk).update(
            published_comment=published, comment_status=SurveyResponse.CommentStatus.PUBLISHED
        )
    return len(rows)
