import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- liaison ---------------------------------------------------------------------------
import datetime as dt  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402

from liaison import models as lm  # noqa: E402


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.PriorityCommunity

    name = factory.Sequence(lambda n: f"Community {n}")
    name_en = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"community-{n}")
    languages = factory.LazyFunction(lambda: ["ne"])
    active_from = dt.date(2020, 1, 1)


class LiaisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Liaison
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    badge_number = factory.Sequence(lambda n: f"B-{n:04d}")
    public_phone = "+1 412-555-0100"
    public_email = factory.LazyAttribute(lambda o: f"{o.user.username}@police.example")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            obj.user.groups.add(Group.objects.get(name=extracted or "Liaison officer"))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = lm.Partner.Kind.CBO


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Contact
        skip_postgeneration_save = True

    liaison = factory.SubFactory(LiaisonFactory)
    date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=1))
    kind = lm.Contact.Kind.INFORMAL_VISIT
    people_reached = 3
    language = "ne"

    @factory.post_generation
    def communities(obj, create, extracted, **kwargs):
        if create:
            obj.communities.set(extracted or [CommunityFactory()])


# --- feedback ---------------------------------------------------------------------------
from feedback import codes as feedback_codes  # noqa: E402
from feedback import models as fm  # noqa: E402


def concern_category(slug: str = "safety") -> fm.ConcernCategory:
    """One of the five categories the data migration creates."""
    return fm.ConcernCategory.objects.get(slug=slug)


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.Concern

    code = factory.LazyFunction(feedback_codes.new_code)
    category = factory.LazyFunction(concern_category)
    text = factory.Sequence(lambda n: f"The street light on Main Street has been out for weeks ({n}).")
    language = "en"
    contact_method = fm.Concern.ContactMethod.NONE


# --- outreach ---------------------------------------------------------------------------
from django.utils import timezone as _tz  # noqa: E402

from outreach import models as om  # noqa: E402


class OutreachEventFactory(factory.django.DjangoModelFactory):
    """A draft event three days ahead, 18:00-20:00 in the deployment's zone."""

    class Meta:
        model = om.OutreachEvent
        skip_postgeneration_save = True

    kind = om.OutreachEvent.Kind.COMMUNITY_MEETING
    title_en = factory.Sequence(lambda n: f"Community meeting {n}")
    title = factory.SelfAttribute("title_en")
    venue_name = "Carrick Library"
    address = "1811 Brownsville Rd, Pittsburgh, PA 15210"
    start = factory.LazyFunction(
        lambda: (_tz.localtime() + dt.timedelta(days=3)).replace(hour=18, minute=0, second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    interpretation_languages = factory.LazyFunction(lambda: ["es", "ar"])

    @factory.post_generation
    def communities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communities.set(extracted)

    @factory.post_generation
    def hosts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.hosts.set(extracted)


def past_event(host, communities) -> "om.OutreachEvent":
    """A published event `host` created and hosted, that took place yesterday: its
    attendance can be recorded."""
    start = _tz.localtime() - dt.timedelta(days=1, hours=3)
    return OutreachEventFactory(
        status=om.OutreachEvent.Status.PUBLISHED,
        start=start,
        end=start + dt.timedelta(hours=2),
        communities=communities,
        hosts=[host],
        created_by=host.user,
    )


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed e-mail subscriber (pass channel="sms", phone=..., email="" for SMS)."""

    class Meta:
        model = om.Subscriber
        skip_postgeneration_save = True

    channel = om.Subscriber.Channel.EMAIL
    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    phone = ""
    language = "en"
    confirmed_at = factory.LazyFunction(_tz.now)
    consent_at = factory.LazyFunction(_tz.now)
    consent_method = "test"
    consent_version = "test"
    consent_text = "I want meeting notices."

    @factory.post_generation
    def communities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communities.set(extracted)
