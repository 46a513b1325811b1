"""Demo concerns for a first look: a dozen in English, Spanish and Arabic, in every status,
some published on "You said, we did". Idempotent: the codes are fixed, so a second run
finds every concern already there."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from liaison.models import Liaison, PriorityCommunity

from . import codes
from .models import Concern, ConcernCategory, InternalNote, StatusChange

# category, language, community slug, status, text, place, contact, response, summary (en, es, ar)
CONCERNS = [
    (
        "safety",
        "es",
        "latino",
        "action_taken",
        "Los coches pasan muy rápido frente a la escuela primaria por la mañana.",
        "Calle Brownsville",
        ("email", "madre.demo@example.org"),
        {
            "es": "Pusimos un agente de tránsito en la escuela de 7:30 a 8:30 y pedimos a la ciudad un reductor de velocidad.",
            "en": "We placed a traffic officer at the school from 7:30 to 8:30 and asked the city for a speed bump.",
        },
        (
            "Parents told us cars speed past an elementary school. We now have an officer there every school morning.",
            "Padres nos dijeron que los coches van rápido frente a una escuela. Ahora hay un agente allí cada mañana de clase.",
            "أخبرنا أولياء الأمور أن السيارات تسرع أمام مدرسة ابتدائية. يوجد الآن ضابط هناك كل صباح دراسي.",
        ),
    ),
    (
        "police-service",
        "ar",
        "syrian-iraqi",
        "action_taken",
        "لم يكن هناك مترجم عندما أبلغت عن سرقة سيارتي.",
        "",
        ("none", ""),
        {
            "ar": "ذكّرنا جميع الضباط في المنطقة بأن خط الترجمة الهاتفي متاح مجانًا في كل بلاغ.",
            "en": "We reminded every officer in the zone that the telephone interpreter line is free for every report.",
        },
        (
            "A resident reported a theft without an interpreter. Every officer in the zone was reminded to use the free interpreter line.",
            "",
            "أبلغ أحد السكان عن سرقة دون مترجم. تم تذكير كل ضابط في المنطقة باستخدام خط الترجمة المجاني.",
        ),
    ),
    (
        "meeting-request",
        "en",
        "bhutanese",
        "closed",
        "Could an officer talk to our senior group about phone scams?",
        "Community centre, Carrick",
        ("phone", "+14125550147"),
        {
            "en": "Officer Rivera gave the talk on the 12th with a Nepali interpreter. Thank you for inviting us."
        },
        (
            "Seniors asked about phone scams. We gave a talk in Nepali at their community centre.",
            "Personas mayores preguntaron por estafas telefónicas. Dimos una charla en nepalí en su centro comunitario.",
            "",
        ),
    ),
    (
        "compliment",
        "es",
        "latino",
        "closed",
        "El oficial que vino a la feria fue muy amable con mis hijos.",
        "",
        ("none", ""),
        {"es": "¡Gracias! Compartimos su mensaje con el oficial."},
        None,
    ),
    (
        "suggestion",
        "ar",
        "syrian-iraqi",
        "in_review",
        "اقترح عقد الاجتماعات المجتمعية بعد صلاة الجمعة.",
        "",
        ("email", "demo.suggest@example.org"),
        {},
        None,
    ),
    (
        "safety",
        "en",
        "congolese",
        "received",
        "The street lights on our block have been out for two weeks.",
        "Ormsby Avenue",
        ("none", ""),
        {},
        None,
    ),
    (
        "safety",
        "ar",
        "syrian-iraqi",
        "received",
        "هناك سيارة متوقفة منذ أسابيع أمام المسجد.",
        "",
        ("phone", "+14125550168"),
        {},
        None,
    ),
    (
        "police-service",
        "en",
        "somali",
        "not_actionable",
        "The bus was late again this morning.",
        "",
        ("none", ""),
        {
            "en": "Buses are run by the transit authority, not the police. You can contact them on their website."
        },
        None,
    ),
    (
        "meeting-request",
        "es",
        "immigrant-women",
        "in_review",
        "Queremos una charla sobre violencia doméstica para nuestro grupo de mujeres.",
        "",
        ("email", "grupo.mujeres@example.org"),
        {},
        None,
    ),
    (
        "suggestion",
        "en",
        "east-asian",
        "action_taken",
        "Please put the meeting calendar in Vietnamese too.",
        "",
        ("none", ""),
        {"en": "The calendar now has Vietnamese titles for every meeting."},
        (
            "People asked for the meeting calendar in Vietnamese. Every meeting now has a Vietnamese title.",
            "Pidieron el calendario de reuniones en vietnamita. Ahora cada reunión tiene un título en vietnamita.",
            "طلب الناس تقويم الاجتماعات باللغة الفيتنامية. أصبح لكل اجتماع الآن عنوان بالفيتنامية.",
        ),
    ),
    (
        "compliment",
        "ar",
        "syrian-iraqi",
        "received",
        "شكرًا على الإفطار المجتمعي في رمضان.",
        "",
        ("none", ""),
        {},
        None,
    ),
    (
        "safety",
        "es",
        "latino",
        "received",
        "Hay personas que venden drogas cerca del parque por la noche.",
        "Parque Arlington",
        ("none", ""),
        {},
        None,
    ),
]

NOT_ACTIONABLE_REASON = "This is a transit service matter."


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(codes.ALPHABET) for _i in range(codes.LENGTH))


@transaction.atomic
def seed(*, users: dict, rng: random.Random | None = None) -> list[Concern]:
    rng = rng or random.Random(5)  # noqa: S311 - demo codes, fixed so the seed is idempotent
    now = timezone.now()
    categories = {c.slug: c for c in ConcernCategory.objects.all()}
    communities = {c.slug: c for c in PriorityCommunity.objects.all()}
    liaisons = list(Liaison.objects.filter(is_active=True).select_related("user").order_by("id")[:4])
    actor = users.get("liaison") or (liaisons[0].user if liaisons else None)
    out = []
    for i, (cat, lang, comm, status, text, place, contact, responses, summary) in enumerate(CONCERNS):
        code = _code(rng)
        existing = Concern.objects.filter(code=code).first()
        if existing:
            out.append(existing)
            continue
        method, address = contact
        received = now - dt.timedelta(days=3 + i * 9)
        finished = received + dt.timedelta(days=6) if status in Concern.CLOSING_STATUSES else None
        concern = Concern.objects.create(
            code=code,
            category=categories[cat],
            text=text,
            community=communities.get(comm),
            place=place,
            contact_method=method,
            email=address if method == "email" else "",
            phone=address if method == "phone" else "",
            language=lang,
            status=status,
            not_actionable_reason=NOT_ACTIONABLE_REASON if status == "not_actionable" else "",
            assignee=liaisons[i % len(liaisons)] if liaisons and status != "received" else None,
            closed_at=finished,
            **{f"public_response_{k}": v for k, v in responses.items()},
        )
        if summary:
            en, es, ar = summary
            concern.public_summary_en, concern.public_summary_es, concern.public_summary_ar = en, es, ar
            concern.published = True
            concern.published_at = finished
        Concern.objects.filter(pk=concern.pk).update(
            created_at=received,
            updated_at=finished or received,
            public_summary_en=concern.public_summary_en,
            public_summary_es=concern.public_summary_es,
            public_summary_ar=concern.public_summary_ar,
            published=concern.published,
            published_at=concern.published_at,
        )
        history = [StatusChange(concern=concern, to_status="received")]
        path = {
            "in_review": ["in_review"],
            "action_taken": ["in_review", "action_taken"],
            "closed": ["in_review", "action_taken", "closed"],
            "not_actionable": ["in_review", "not_actionable"],
        }.get(status, [])
        previous = "received"
        for step in path:
            history.append(
                StatusChange(
                    concern=concern,
                    actor=actor,
                    from_status=previous,
                    to_status=step,
                    reason=NOT_ACTIONABLE_REASON if step == "not_actionable" else "",
                )
            )
            previous = step
        StatusChange.objects.bulk_create(history)
        if actor and status != "received":
            InternalNote.objects.create(
                concern=concern, author=actor, text="Called the partner organisation."
            )
        out.append(concern)
    return out
