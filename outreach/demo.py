"""Demo outreach events and subscribers, loaded idempotently (running it twice adds nothing).

Past events carry attendance; upcoming ones are published with translations where the unit
had them (one deliberately has no Arabic title, to show the fallback). Subscribers are
confirmed already; nothing is sent while seeding."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from languages import content
from liaison.models import Liaison, Partner, PriorityCommunity

from . import services
from .demo_content import DESCRIPTIONS, EVENT_TITLES
from .models import EventAttendance, OutreachEvent, SafetyAlert, Subscriber

# key, kind, en, es, ar (or "") as first written (every language: demo_content.py), venue, address, days from today, hour, hours long, monthly,
# interpretation, communities, partner names, host usernames, attendance
EVENTS = [
    (
        "kyr-latino",
        OutreachEvent.Kind.KNOW_YOUR_RIGHTS,
        "Know Your Rights: talking with police",
        "Conozca sus derechos: cómo hablar con la policía",
        "اعرف حقوقك: كيف تتحدث مع الشرطة",
        "St. Anne's Parish Hall",
        "1420 Brookline Blvd, Pittsburgh, PA 15226",
        9,
        18,
        2,
        False,
        ["es"],
        ["latino", "immigrant-women"],
        ["St. Anne's Parish (Misa en español)", "Women's Legal Aid Clinic"],
        ["demo-garcia", "demo-rivera"],
        None,
    ),
    (
        "base-northview",
        OutreachEvent.Kind.COMMUNITY_BASE,
        "Community base meeting at Masjid Al-Noor",
        "Reunión de base comunitaria en la Mezquita Al-Noor",
        "اجتماع القاعدة المجتمعية في مسجد النور",
        "Masjid Al-Noor, community room",
        "5 Northview Dr, Pittsburgh, PA 15214",
        5,
        17,
        1,
        True,
        ["ar", "so"],
        ["syrian-iraqi", "somali"],
        ["Masjid Al-Noor"],
        ["liaison", "demo-osman"],
        None,
    ),
    (
        "youth-soccer",
        OutreachEvent.Kind.YOUTH_LEAGUE,
        "Youth soccer league: season opener",
        "Liga juvenil de fútbol: inicio de temporada",
        "",  # no Arabic title entered: Arabic readers see the English one
        "Carrick High School field",
        "125 Parkfield St, Pittsburgh, PA 15210",
        16,
        10,
        3,
        False,
        ["ne", "es"],
        ["bhutanese", "latino", "congolese"],
        ["Carrick High School ESL Program"],
        ["demo-gurung"],
        None,
    ),
    (
        "forum-scams",
        OutreachEvent.Kind.FORUM,
        "Forum: phone scams that target newcomers",
        "Foro: estafas telefónicas contra recién llegados",
        "منتدى: الاحتيال الهاتفي الذي يستهدف القادمين الجدد",
        "Carnegie Library, Brookline branch",
        "708 Brookline Blvd, Pittsburgh, PA 15226",
        -20,
        18,
        2,
        False,
        ["es", "ar", "ne"],
        ["latino", "syrian-iraqi", "bhutanese"],
        ["Refugee Resettlement Services"],
        ["demo-garcia", "liaison"],
        {"total": 46, "latino": 21, "syrian-iraqi": 14, "bhutanese": 9},
    ),
    (
        "demo-day",
        OutreachEvent.Kind.TRAINING_DEMO,
        "Meet the police: a day at the training academy",
        "Conozca a la policía: un día en la academia",
        "تعرّف على الشرطة: يوم في أكاديمية التدريب",
        "Police Training Academy",
        "1203 Washington Blvd, Pittsburgh, PA 15206",
        -45,
        11,
        4,
        False,
        ["ar", "fr", "sw"],
        ["congolese", "west-african", "somali"],
        ["Congolese Women's Circle"],
        ["demo-mukendi", "demo-osman"],
        {"total": 31, "congolese": 17, "somali": 8},
    ),
]

SUBSCRIBERS = [
    ("ana.demo@example.org", "es", ["latino"]),
    ("maria.demo@example.org", "es", ["latino", "immigrant-women"]),
    ("omar.demo@example.org", "ar", ["syrian-iraqi"]),
    ("huda.demo@example.org", "ar", ["somali", "immigrant-women"]),
    ("sam.demo@example.org", "en", []),
    ("+14125550150", "es", ["latino"]),
    ("+14125550151", "ar", ["syrian-iraqi"]),
]
# Demo subscribers who also asked for safety alerts (and one for alerts only).
ALERT_SUBSCRIBERS = {"ana.demo@example.org", "omar.demo@example.org", "+14125550150"}
ALERTS_ONLY = [("li.demo@example.org", "zh-hans", []), ("faadumo.demo@example.org", "so", ["somali"])]

SCAM_ALERT = {
    "title": {
        "en": "Fake immigration services are asking for money",
        "es": "Servicios de inmigración falsos piden dinero",
        "ar": "خدمات هجرة مزيفة تطلب المال",
        "zh-hans": "假冒移民服务正在索要钱财",
        "so": "Adeegyo socdaal oo been abuur ah ayaa lacag dalbanaya",
    },
    "body": {
        "en": "People calling themselves immigration consultants or notarios promise papers for a fee "
        "and ask for cash or gift cards. They are not lawyers and cannot file anything for you.",
        "es": "Personas que se presentan como consultores de inmigración o notarios prometen papeles a "
        "cambio de dinero y piden efectivo o tarjetas de regalo. No son abogados y no pueden tramitar nada.",
        "ar": "أشخاص يقدّمون أنفسهم كمستشاري هجرة يعدون بالأوراق مقابل المال ويطلبون نقداً أو بطاقات هدايا. "
        "إنهم ليسوا محامين ولا يستطيعون تقديم أي طلب نيابة عنك.",
        "zh-hans": "自称移民顾问或公证人的人收费承诺办理身份，并索要现金或礼品卡。他们不是律师，无法为您提交任何申请。",
        "so": "Dad isku sheegaya la-taliyeyaal socdaal ayaa ballan qaada waraaqo lacag ah, waxayna "
        "dalbadaan lacag caddaan ah ama kaarar hadiyad. Ma aha qareenno.",
    },
    "advice": {
        "en": "Never pay in cash or gift cards. Ask for a licensed lawyer or an accredited representative.",
        "es": "Nunca pague en efectivo ni con tarjetas de regalo. Pida un abogado con licencia.",
        "ar": "لا تدفع نقداً أو ببطاقات هدايا أبداً. اطلب محامياً مرخّصاً.",
        "zh-hans": "切勿用现金或礼品卡付款。请找持证律师或认可代表。",
        "so": "Waligaa ha bixin lacag caddaan ah ama kaarar hadiyad. Weydii qareen shati leh.",
    },
}
DRAFT_ALERT = {
    "title": "Car break-ins after evening prayers",
    "body": "Several cars were broken into in the parking area during evening prayers last week.",
    "advice": "Leave nothing in sight in your car and park in lit areas.",
}


@transaction.atomic
def seed(*, users: dict) -> dict:
    actor = users.get("coordinator")
    tz = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    communities = {c.slug: c for c in PriorityCommunity.objects.all()}
    partners = {p.name: p for p in Partner.objects.all()}
    liaisons = {lz.user.username: lz for lz in Liaison.objects.select_related("user")}
    events = {}
    for (
        key,
        kind,
        en,
        _es,
        _ar,
        venue,
        address,
        days,
        hour,
        hours,
        monthly,
        interp,
        slugs,
        partner_names,
        hosts,
        attendance,
    ) in EVENTS:
        existing = OutreachEvent.objects.filter(title_en=en).first()
        if existing:
            # A demo loaded before more languages were declared gets their texts now.
            changed = content.fill_missing(existing, "title", EVENT_TITLES[key])
            described = {c: t for c, t in DESCRIPTIONS.items() if c in EVENT_TITLES[key]}
            changed += content.fill_missing(existing, "description", described)
            if changed:
                existing.save(update_fields=changed)
            events[key] = existing
            continue
        start = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=tz)
        event = OutreachEvent.objects.create(
            kind=kind,
            title=en,
            **content.translated_columns("title", EVENT_TITLES[key]),
            # The untranslated demo event has its description only where it has its title.
            **content.translated_columns(
                "description", {c: t for c, t in DESCRIPTIONS.items() if c in EVENT_TITLES[key]}
            ),
            venue_name=venue,
            address=address,
            start=start,
            end=start + dt.timedelta(hours=hours),
            time_zone=settings.TIME_ZONE,
            recurrence=OutreachEvent.Recurrence.MONTHLY if monthly else OutreachEvent.Recurrence.NONE,
            repeat_until=(today + dt.timedelta(days=365)) if monthly else None,
            language="en",
            interpretation_languages=interp,
            # Published directly: demo subscribers are not notified while seeding.
            status=OutreachEvent.Status.PUBLISHED,
            published_at=timezone.now(),
            notified_at=timezone.now(),
            created_by=actor,
        )
        event.communities.set([communities[s] for s in slugs if s in communities])
        event.partners.set([partners[n] for n in partner_names if n in partners])
        event.hosts.set([liaisons[u] for u in hosts if u in liaisons])
        events[key] = event
        if attendance and actor and not EventAttendance.objects.filter(event=event).exists():
            services.event_record_attendance(
                actor=actor,
                event=event,
                date=start.date(),
                total=attendance["total"],
                by_community={communities[s]: n for s, n in attendance.items() if s in communities},
            )
    now = timezone.now()
    for address, language, slugs in SUBSCRIBERS:
        is_phone = address.startswith("+")
        sub, created = Subscriber.objects.get_or_create(
            **({"phone": address} if is_phone else {"email": address}),
            defaults={
                "channel": Subscriber.Channel.SMS if is_phone else Subscriber.Channel.EMAIL,
                "language": language,
                "confirmed_at": now,
                "consent_at": now,
                "consent_method": "demo data",
                "consent_version": services.CONSENT_VERSION,
                "consent_text": services.consent_text(),
            },
        )
        if created:
            sub.communities.set([communities[s] for s in slugs if s in communities])
        if address in ALERT_SUBSCRIBERS and not sub.wants_alerts:
            sub.wants_alerts = True
            sub.save(update_fields=["wants_alerts"])
    for address, language, slugs in ALERTS_ONLY:
        sub, created = Subscriber.objects.get_or_create(
            email=address,
            defaults={
                "channel": Subscriber.Channel.EMAIL,
                "language": language,
                "wants_meetings": False,
                "wants_alerts": True,
                "confirmed_at": now,
                "consent_at": now,
                "consent_method": "demo data",
                "consent_version": services.CONSENT_VERSION,
                "consent_text": services.consent_text(),
            },
        )
        if created:
            sub.communities.set([communities[s] for s in slugs if s in communities])
    return {"events": events, "alerts": _seed_alerts(users, communities, now)}


def _seed_alerts(users: dict, communities: dict, now) -> list[SafetyAlert]:
    """One alert already sent (nobody is messaged while seeding) and one waiting for approval."""
    seeded = []
    sent = SafetyAlert.objects.filter(title_en=SCAM_ALERT["title"]["en"]).first()
    if sent is None:
        sent = SafetyAlert.objects.create(
            kind=SafetyAlert.Kind.SCAM,
            title=SCAM_ALERT["title"]["en"],
            body=SCAM_ALERT["body"]["en"],
            advice=SCAM_ALERT["advice"]["en"],
            **{
                k: v
                for name, texts in SCAM_ALERT.items()
                for k, v in content.translated_columns(name, texts).items()
            },
            area="Beechview and Brookline, near the main business streets",
            languages=["es", "ar", "zh-hans", "so"],
            status=SafetyAlert.Status.SENT,
            drafted_by=users.get("demo-garcia") or users.get("liaison"),
            approved_by=users.get("coordinator"),
            submitted_at=now,
            sent_at=now,
        )
        sent.communities.set(
            [communities[s] for s in ("latino", "somali", "syrian-iraqi") if s in communities]
        )
    seeded.append(sent)
    draft = SafetyAlert.objects.filter(title_en=DRAFT_ALERT["title"]).first()
    if draft is None:
        draft = SafetyAlert.objects.create(
            kind=SafetyAlert.Kind.PATTERN,
            title=DRAFT_ALERT["title"],
            body=DRAFT_ALERT["body"],
            advice=DRAFT_ALERT["advice"],
            area="Northview Heights",
            languages=["ar", "so"],
            status=SafetyAlert.Status.SUBMITTED,
            drafted_by=users.get("liaison"),
            submitted_at=now,
        )
        draft.communities.set([communities[s] for s in ("syrian-iraqi", "somali") if s in communities])
    seeded.append(draft)
    return seeded
