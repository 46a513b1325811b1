"""Reading agencies. The host-name look-up runs on every request, so it is cached (Redis in
production, shared by every application server) and dropped by agencies.services on change."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from agencies import context
from agencies.models import Agency, Membership

CACHE_SECONDS = 300


GENERATION = "agencies:generation"


def _cache_key(name: str) -> str:
    # One generation for every cached look-up: a change to any agency bumps it (forget_all),
    # on every application server at once, since they share the cache.
    generation = cache.get_or_set(GENERATION, 1, None)
    return f"agencies:{generation}:{name}"


def forget_all() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 2, None)


def agency_for_host(host: str) -> Agency:
    """The agency a host name serves: its own domain, or <slug>.<BRIDGE_AGENCY_DOMAIN>; any
    other host (a one-agency deployment, the test client) serves the default agency."""
    host = (host or "").split(":", 1)[0].lower().rstrip(".")
    key = _cache_key(f"host:{host}")
    agency = cache.get(key)
    if agency is None:
        agency = _lookup_host(host)
        cache.set(key, agency, CACHE_SECONDS)
        # agencies.conf asks for it by id for the rest of the request (and its tasks).
        cache.set(_cache_key(f"pk:{agency.pk}"), agency, CACHE_SECONDS)
    return agency


def _lookup_host(host: str) -> Agency:
    found = Agency.objects.filter(domain=host).first() if host else None
    base = settings.BRIDGE_AGENCY_DOMAIN
    if found is None and base and host.endswith("." + base):
        found = Agency.objects.filter(slug=host[: -len(base) - 1]).first()
    if found is None:
        found = Agency.objects.get(pk=context.default_agency_id())
    return found


def agency_get(pk: int) -> Agency:
    key = _cache_key(f"pk:{pk}")
    agency = cache.get(key)
    if agency is None:
        agency = Agency.objects.get(pk=pk)
        cache.set(key, agency, CACHE_SECONDS)
    return agency


def current_agency() -> Agency:
    """The agency being worked for (the request's host, the task's agency), else the default."""
    return agency_get(context.current_or_default_id())


def agency_of(user) -> int | None:
    """The agency a member of staff works for; a user made without one belongs to the default
    agency (a one-agency deployment's accounts, `createsuperuser`)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()
    return membership if membership is not None else context.default_agency_id()


def is_regional_analyst(user) -> bool:
    return Membership.objects.filter(user_id=user.pk, regional_analyst=True).exists()


def sharing_agencies():
    return Agency.objects.filter(shares_regional_figures=True).order_by("name")


def all_agencies():
    return Agency.objects.order_by("name")


def members_only(users, agency_id: int | None = None):
    """`users` (a User queryset) narrowed to the accounts of one agency (the current one): the
    accounts are deployment-wide, so the pages that list or reach them (the admin, the
    password reset) narrow them here. An account without a membership is the default agency's."""
    agency_id = agency_id if agency_id is not None else context.current_id()
    if agency_id is None:
        return users
    members = Q(agency_membership__agency_id=agency_id)
    if agency_id == context.default_agency_id():
        members |= Q(agency_membership__isnull=True)
    return users.filter(members)


def several_agencies() -> bool:
    """Whether the deployment serves more than one agency (then what all agencies share, such
    as the roles and the concern categories, is changed by the deployment's operators only)."""
    return Agency.objects.count() > 1


def sign_in_records_of(agency_id: int | None = None) -> Q:
    """A filter on django-axes' sign-in records (which hold a user name, never an agency) to
    those of one agency's accounts. The default agency also sees the names no account holds:
    attempts on the deployment before any agency's account was found."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - the app registry is ready here

    users = get_user_model().objects.all()
    agency_id = agency_id if agency_id is not None else context.current_id()
    if agency_id is None:
        return Q()
    records = Q(username__in=members_only(users, agency_id).values("username"))
    if agency_id == context.default_agency_id():
        records |= Q(username__isnull=True) | Q(username="") | ~Q(username__in=users.values("username"))
    return records
