"""Demo records drawn from the field reports (Pittsburgh, Vera EPIC, NYPD blueprint), and a fast
bulk generator for benchmarks. Both are idempotent: running them again adds nothing new."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from languages import content

from . import roles
from .demo_content import BIOS, COMMUNITY_NAMES
from .models import Assignment, Contact, LanguageSkill, Liaison, Partner, PriorityCommunity, Topic

# slug, en, es, ar (as first written; every language: demo_content.py), languages, neighbourhoods, population, level
COMMUNITIES = [
    ("bhutanese", "Bhutanese", "Butaneses", "البوتانيون", ["ne"], "Carrick, Whitehall", 5200, 1),
    ("congolese", "Congolese", "Congoleños", "الكونغوليون", ["fr", "sw", "ln"], "Brighton Heights", 1900, 1),
    (
        "syrian-iraqi",
        "Syrian and Iraqi",
        "Sirios e iraquíes",
        "السوريون والعراقيون",
        ["ar", "ku"],
        "Northview Heights",
        2400,
        1,
    ),
    ("latino", "Latino", "Latinos", "اللاتينيون", ["es"], "Beechview, Brookline", 18000, 1),
    (
        "east-asian",
        "East Asian",
        "Asiáticos del este",
        "شرق آسيويون",
        ["zh", "ko", "vi"],
        "Squirrel Hill, Oakland",
        9500,
        2,
    ),
    ("bosnian", "Bosnian", "Bosnios", "البوسنيون", ["bs"], "Mount Washington", 1200, 3),
    ("albanian", "Albanian", "Albaneses", "الألبان", ["sq"], "Bloomfield", 800, 3),
    (
        "west-african",
        "West African",
        "Africanos occidentales",
        "غرب أفريقيون",
        ["fr", "en"],
        "Homewood, East Liberty",
        3100,
        2,
    ),
    (
        "south-asian",
        "South Asian",
        "Surasiáticos",
        "جنوب آسيويون",
        ["hi", "ur", "bn"],
        "Oakland, Bethel Park",
        6700,
        2,
    ),
    (
        "immigrant-women",
        "Immigrant women",
        "Mujeres inmigrantes",
        "النساء المهاجرات",
        ["es", "ar", "ne", "sw"],
        "Citywide",
        21000,
        1,
    ),
    ("somali", "Somali", "Somalíes", "الصوماليون", ["so", "ar"], "Allentown", 900, 2),
    (
        "burmese-karen",
        "Burmese and Karen",
        "Birmanos y karen",
        "البورميون والكارين",
        ["my", "kar"],
        "Knoxville",
        700,
        3,
    ),
]

PARTNERS = [
    ("Bhutanese Community Association", Partner.Kind.CBO, ["bhutanese"], ["ne"]),
    ("Masjid Al-Noor", Partner.Kind.FAITH, ["syrian-iraqi", "somali"], ["ar", "so"]),
    ("St. Anne's Parish (Misa en español)", Partner.Kind.FAITH, ["latino"], ["es"]),
    ("Congolese Women's Circle", Partner.Kind.CBO, ["congolese", "immigrant-women"], ["fr", "sw"]),
    ("Mercado La Esperanza", Partner.Kind.BUSINESS, ["latino"], ["es"]),
    ("Carrick High School ESL Program", Partner.Kind.SCHOOL, ["bhutanese", "latino", "congolese"], ["en"]),
    (
        "Refugee Resettlement Services",
        Partner.Kind.SERVICE,
        ["bhutanese", "congolese", "syrian-iraqi"],
        ["ne", "fr", "ar"],
    ),
    ("Radio Nepali Pittsburgh", Partner.Kind.MEDIA, ["bhutanese"], ["ne"]),
    ("La Voz Latina (newspaper)", Partner.Kind.MEDIA, ["latino"], ["es"]),
    ("Pastor Jean-Baptiste Mukendi", Partner.Kind.LEADER, ["congolese", "west-african"], ["fr", "ln"]),
    ("Asian Family Center", Partner.Kind.SERVICE, ["east-asian", "south-asian"], ["zh", "ko", "vi", "hi"]),
    ("Women's Legal Aid Clinic", Partner.Kind.SERVICE, ["immigrant-women"], ["es", "ar"]),
    ("Zone 3 Public Safety Council", Partner.Kind.COUNCIL, ["syrian-iraqi", "somali", "latino"], ["en"]),
    (
        "Beechview Community Public Safety Association",
        Partner.Kind.SAFETY_ASSOCIATION,
        ["latino", "bhutanese"],
        ["en", "es"],
    ),
]

# name: (week, weekday, time, place) of the partners that meet on a schedule.
MEETINGS = {
    "Zone 3 Public Safety Council": (2, 1, dt.time(18, 30), "Zone 3 station, community room"),
    "Beechview Community Public Safety Association": (-1, 3, dt.time(19, 0), "Beechview library"),
}

# username, first, last, badge, kind, unit, skills [(code, proficiency)], communities
LIAISONS = [
    (
        "liaison",
        "Amina",
        "Hassan",
        "L-1001",
        Liaison.Kind.SWORN,
        "Zone 3",
        [("ar", 1), ("en", 2), ("fr", 3)],
        ["syrian-iraqi", "somali"],
    ),
    (
        "demo-garcia",
        "Luis",
        "García",
        "L-1002",
        Liaison.Kind.SWORN,
        "Zone 6",
        [("es", 1), ("en", 2)],
        ["latino"],
    ),
    (
        "demo-gurung",
        "Dil",
        "Gurung",
        "C-2001",
        Liaison.Kind.CIVILIAN,
        "Zone 3",
        [("ne", 1), ("en", 2), ("hi", 3)],
        ["bhutanese", "south-asian"],
    ),
    (
        "demo-mukendi",
        "Grace",
        "Mukendi",
        "L-1003",
        Liaison.Kind.SWORN,
        "Zone 1",
        [("fr", 1), ("sw", 2), ("ln", 2), ("en", 2)],
        ["congolese", "west-african"],
    ),
    (
        "demo-nguyen",
        "Thanh",
        "Nguyen",
        "L-1004",
        Liaison.Kind.SWORN,
        "Zone 4",
        [("vi", 1), ("en", 1), ("zh", 4)],
        ["east-asian"],
    ),
    (
        "demo-hodzic",
        "Emir",
        "Hodžić",
        "L-1005",
        Liaison.Kind.SWORN,
        "Zone 3",
        [("bs", 1), ("en", 1), ("sq", 4)],
        ["bosnian", "albanian"],
    ),
    (
        "demo-rivera",
        "Ana",
        "Rivera",
        "C-2002",
        Liaison.Kind.CIVILIAN,
        "Headquarters",
        [("es", 1), ("en", 1), ("ar", 4)],
        ["immigrant-women", "latino"],
    ),
    (
        "demo-osman",
        "Hodan",
        "Osman",
        "C-2003",
        Liaison.Kind.CIVILIAN,
        "Zone 5",
        [("so", 1), ("ar", 2), ("en", 2)],
        ["somali", "immigrant-women"],
    ),
]


KIND_WEIGHTS = [
    (Contact.Kind.INFORMAL_VISIT, 30),
    (Contact.Kind.FORMAL_MEETING, 20),
    (Contact.Kind.PHONE_CALL, 15),
    (Contact.Kind.PRESENTATION, 10),
    (Contact.Kind.EVENT, 10),
    (Contact.Kind.SCHOOL_VISIT, 7),
    (Contact.Kind.SOCIAL_MEDIA, 5),
    (Contact.Kind.OTHER, 3),
]
NOTES = [
    "Met with the association's board about recent car break-ins.",
    "Explained how to report a crime without giving a name.",
    "Follow-up on the youth soccer league schedule.",
    "Talked about phone scams targeting older residents.",
    "Shared the meeting calendar and the liaison contact card.",
    "",
]


def seed(*, users: dict, rng: random.Random | None = None) -> dict:
    rng = rng or random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    start = today.replace(day=1) - dt.timedelta(days=730)
    communities = {}
    for slug, en, _es, _ar, langs, hoods, pop, level in COMMUNITIES:
        communities[slug], _ = PriorityCommunity.objects.get_or_create(
            slug=slug,
            defaults={
                "name": en,
                **content.translated_columns("name", COMMUNITY_NAMES[slug]),
                "languages": langs,
                "neighbourhoods": hoods,
                "estimated_population": pop,
                "population_source": "American Community Survey",
                "population_year": 2023,
                "priority_level": level,
                "active_from": start - dt.timedelta(days=365),
            },
        )
    # A community that stopped being a priority a year ago: history is kept, nothing deleted.
    communities["ukrainian"], _ = PriorityCommunity.objects.get_or_create(
        slug="ukrainian",
        defaults={
            "name": "Ukrainian",
            **content.translated_columns("name", COMMUNITY_NAMES["ukrainian"]),
            "languages": ["uk", "ru"],
            "neighbourhoods": "South Side",
            "estimated_population": 600,
            "population_source": "American Community Survey",
            "population_year": 2023,
            "priority_level": 3,
            "active_from": start - dt.timedelta(days=365),
            "active_until": today - dt.timedelta(days=365),
        },
    )
    # A demo loaded before more languages were declared gets their names now.
    for slug, community in communities.items():
        changed = content.fill_missing(community, "name", COMMUNITY_NAMES[slug])
        if changed:
            community.save(update_fields=changed)
    communities.pop("ukrainian")
    partners = []
    for name, kind, slugs, langs in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "languages": langs, "contact_person": "", "notes": ""}
        )
        if created:
            partner.communities.set([communities[s] for s in slugs])
            if name in MEETINGS:
                week, weekday, at, place = MEETINGS[name]
                partner.meeting_week, partner.meeting_weekday = week, weekday
                partner.meeting_time, partner.meeting_place = at, place
                partner.save(
                    update_fields=["meeting_week", "meeting_weekday", "meeting_time", "meeting_place"]
                )
        partners.append(partner)

    User = get_user_model()
    group = Group.objects.get(name=roles.LIAISON)
    liaisons = []
    for i, (username, first, last, badge, kind, unit, skills, slugs) in enumerate(LIAISONS):
        user = users.get(username)
        if user is None:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(group)
        liaison, created = Liaison.objects.get_or_create(
            user=user,
            defaults={
                "badge_number": badge,
                "kind": kind,
                "unit": unit,
                "public_phone": f"+1 412-555-01{i:02d}",
                "public_email": f"{username}@police.example",
                "bio": BIOS["en"],
                **content.translated_columns("bio", BIOS),
            },
        )
        if created:
            LanguageSkill.objects.bulk_create(
                [LanguageSkill(liaison=liaison, language=c, proficiency=p) for c, p in skills]
            )
            Assignment.objects.bulk_create(
                [Assignment(liaison=liaison, community=communities[s], starts_on=start) for s in slugs]
            )
        liaisons.append((liaison, [communities[s] for s in slugs], [c for c, _p in skills]))

    if not Contact.objects.filter(liaison__in=[lz for lz, _c, _l in liaisons]).exists():
        _demo_contacts(liaisons, partners, start, today, rng)
    return {"communities": communities, "partners": partners, "liaisons": [lz for lz, _c, _l in liaisons]}


@transaction.atomic
def _demo_contacts(liaisons, partners, start, today, rng):
    topics = list(Topic.objects.all())
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    served = {p.pk: set(p.communities.all()) for p in partners}
    rows, comm_picks, topic_picks = [], [], []
    for liaison, communities, langs in liaisons:
        pool = [p for p in partners if served[p.pk] & set(communities)] or partners
        day = start
        while True:
            day += dt.timedelta(days=rng.choice([1, 2, 2, 3, 4]))
            if day > today:
                break
            interpreter = rng.random() < 0.12
            rows.append(
                Contact(
                    liaison=liaison,
                    date=day,
                    kind=rng.choices(kinds, weights)[0],
                    partner=rng.choice(pool) if rng.random() < 0.6 else None,
                    people_reached=rng.choice([1, 1, 2, 3, 5, 8, 12, 20, 35, 60]),
                    language=rng.choice(langs[:2]),
                    interpreter_used=interpreter,
                    interpreter_detail="Language line" if interpreter else "",
                    follow_up_due=day + dt.timedelta(days=rng.choice([7, 14, 30]))
                    if rng.random() < 0.15
                    else None,
                    notes=rng.choice(NOTES),
                )
            )
            comm_picks.append(rng.sample(communities, k=min(len(communities), rng.choice([1, 1, 1, 2]))))
            topic_picks.append(rng.sample(topics, k=rng.choice([0, 1, 1, 2])))
    created = Contact.objects.bulk_create(rows, batch_size=2000)
    by_comm, by_topic = Contact.communities.through, Contact.topics.through
    by_comm.objects.bulk_create(
        [
            by_comm(contact_id=c.pk, prioritycommunity_id=x.pk)
            for c, xs in zip(created, comm_picks, strict=True)
            for x in xs
        ]
    )
    by_topic.objects.bulk_create(
        [
            by_topic(contact_id=c.pk, topic_id=t.pk)
            for c, ts in zip(created, topic_picks, strict=True)
            for t in ts
        ]
    )


UNUSABLE = "!"  # noqa: S105 - Django's marker for an unusable password


def seed_bulk_contacts(
    *, total: int, liaisons: int = 200, communities: int = 40, years: int = 3, batch: int = 20000, stdout=None
) -> int:
    """Top the benchmark data up to `total` contacts by `liaisons` bench liaisons over `years`
    years in `communities` communities, with bulk inserts. Returns how many were added."""
    rng = random.Random(7)  # noqa: S311
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * years)
    comms = list(PriorityCommunity.objects.filter(active_until__isnull=True).order_by("id")[:communities])
    for i in range(len(comms), communities):
        comm, _ = PriorityCommunity.objects.get_or_create(
            slug=f"bench-community-{i:02d}",
            defaults={
                "name": f"Community {i:02d}",
                "name_en": f"Community {i:02d}",
                "languages": ["en"],
                "active_from": start - dt.timedelta(days=30),
                "priority_level": 2,
            },
        )
        comms.append(comm)
    PriorityCommunity.objects.filter(pk__in=[c.pk for c in comms], active_from__gt=start).update(
        active_from=start
    )
    User = get_user_model()
    existing = {u.username: u for u in User.objects.filter(username__startswith="bench-liaison-")}
    new_users = [
        User(
            username=f"bench-liaison-{i:03d}",
            first_name="Bench",
            last_name=f"Liaison {i:03d}",
            password=UNUSABLE,
        )
        for i in range(liaisons)
        if f"bench-liaison-{i:03d}" not in existing
    ]
    User.objects.bulk_create(new_users)
    users = list(User.objects.filter(username__startswith="bench-liaison-").order_by("username")[:liaisons])
    have = set(Liaison.objects.filter(user__in=users).values_list("user_id", flat=True))
    Liaison.objects.bulk_create(
        [
            Liaison(user=u, badge_number=f"B-{u.username[-3:]}", unit=f"Zone {int(u.username[-3:]) % 6 + 1}")
            for u in users
            if u.pk not in have
        ]
    )
    bench = list(Liaison.objects.filter(user__in=users).order_by("id"))
    home = {lz.pk: [comms[(idx * 3 + k) % len(comms)] for k in range(3)] for idx, lz in enumerate(bench)}
    missing = [
        Assignment(liaison=lz, community=c, starts_on=start)
        for lz in bench
        for c in home[lz.pk]
        if not Assignment.objects.filter(liaison=lz).exists()
    ]
    Assignment.objects.bulk_create(missing)

    already = Contact.objects.filter(liaison__in=bench).count()
    to_add = max(0, total - already)
    span = (today - start).days
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    langs = ["en", "es", "ar", "ne", "fr", "sw", "so", "vi", "zh"]
    through = Contact.communities.through
    added = 0
    while added < to_add:
        n = min(batch, to_add - added)
        with transaction.atomic():
            rows = []
            picks = []
            for _i in range(n):
                lz = bench[rng.randrange(len(bench))]
                day = start + dt.timedelta(days=rng.randrange(span + 1))
                rows.append(
                    Contact(
                        liaison_id=lz.pk,
                        date=day,
                        kind=rng.choices(kinds, weights)[0],
                        people_reached=rng.choice([1, 1, 2, 3, 5, 8, 12, 20, 40]),
                        language=rng.choice(langs),
                        interpreter_used=rng.random() < 0.1,
                    )
                )
                mine = home[lz.pk]
                picks.append(mine[:1] if rng.random() < 0.7 else rng.sample(mine, 2))
            created = Contact.objects.bulk_create(rows, batch_size=5000)
            through.objects.bulk_create(
                [
                    through(contact_id=c.pk, prioritycommunity_id=comm.pk)
                    for c, cs in zip(created, picks, strict=True)
                    for comm in cs
                ],
                batch_size=10000,
            )
        added += n
        if stdout:
            stdout.write(f"  {already + added:,} / {total:,} contacts")
    return added
