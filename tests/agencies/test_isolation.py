"""Issue 17's proof that agencies are sealed from each other: every URL pattern and every API
operation, opened by every role of agency A with the records of agency B, answers as it would
for a record that does not exist (a 404, an empty list, the sign-in page), never a 403 that
confirms it exists, and changes none of B's rows. Lists and exports carry none of B's names.

The walk runs with row-level security switched off for its requests (AgencyMiddleware's
`rls.enter` left out), so it proves the first wall (the tenant manager and the selectors)
on its own; tests/agencies/test_rls.py proves the second wall on its own."""

import datetime as dt
import io
import uuid
import zipfile

import pytest
import yaml
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies import context
from agencies import services as agency_services
from agencies.models import Agency, AgencyOwned, Membership
from api import services as api_services
from audit import events as audit_events
from audit.services import audit_record
from dashboard.models import ExportJob
from engagement.models import EngagementRequest
from feedback import codes
from feedback.models import FollowUp, InternalNote, PublishedComment, StatusChange
from liaison.models import Assignment, QuarterlyTarget
from messaging.models import Message
from outreach import notices
from outreach.models import EventAttendance, SafetyAlert
from policies import services as policy_services
from surveys.models import SurveyResponse
from tests.factories import (
    CommunityFactory,
    ConcernFactory,
    ContactFactory,
    LiaisonFactory,
    OutreachEventFactory,
    PartnerFactory,
    SubscriberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARK = "Bsecret"  # in every name given to agency B's records
ROLES = ("anonymous", "liaison", "commander", "coordinator", "superuser", "regional")
MISSING_INT = 2_000_000_000
SCOPES = ["contacts:read", "contacts:write", "events:read", "events:write", "figures:read"]


def all_patterns(resolver=None, prefix="", namespace=None):
    """(route, qualified name, pattern) of every URL pattern, the admin's included."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from all_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace else p.name), p


def kwarg_names(pattern) -> list[str]:
    return sorted(pattern.pattern.regex.groupindex)


@pytest.fixture
def sealed(settings, role_user, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    settings.ALLOWED_HOSTS = ["testserver", "b.example"]
    settings.FEEDBACK_TRACK_RATE = "100000/h"
    settings.FEEDBACK_SUBMIT_RATE = "100000/h"
    settings.SURVEY_SUBMIT_RATE = "100000/h"
    settings.EXPORT_INLINE_ROWS = 100_000
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "100000/min", "public": "100000/min"})
    cache.clear()

    a = Agency.objects.get(pk=context.default_agency_id())
    b = agency_services.agency_create(slug="b", name="Agency B", domain="b.example")

    # Agency A: its staff (the roles walking) and a record of each kind the lists show.
    a_liaison = LiaisonFactory(user__username="a-liaison")
    a_community = CommunityFactory(name="Alpha Community", name_en="Alpha Community", slug="alpha")
    Assignment.objects.create(liaison=a_liaison, community=a_community, starts_on=dt.date(2024, 1, 1))
    ContactFactory(liaison=a_liaison, communities=[a_community], people_reached=4)
    a_event = OutreachEventFactory(
        title="Alpha meeting", title_en="Alpha meeting", status="published", created_by=a_liaison.user
    )
    regional = UserFactory(username="a-regional")
    agency_services.member_set(user=regional, agency=a, regional_analyst=True)
    users = {
        "liaison": a_liaison.user,
        "commander": role_user("Commander"),
        "coordinator": role_user("Coordinator", is_staff=True),
        "superuser": UserFactory(username="a-root", is_staff=True, is_superuser=True),
        "regional": regional,
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    # The API's token: a liaison of A holding every role and scope.
    for name in ("Commander", "Coordinator"):
        a_liaison.user.groups.add(Group.objects.get(name=name))
    a_token = api_services.token_create(actor=a_liaison.user, name="A tool", scopes=SCOPES, days=1)[1]

    # A's figures and contacts export before B has anything: B's records must not move them.
    with translation.override("en"):
        before = {
            what: clients["commander"].get(reverse("dashboard:export", kwargs={"what": what, "fmt": "csv"}))
            for what in ("figures", "contacts")
        }
    before = {what: b"".join(r.streaming_content) for what, r in before.items()}

    with context.use(b):
        bl = LiaisonFactory(
            user__username="bsecret-liaison", user__first_name="Bsecretfirst", badge_number="BSECRET-1"
        )
        agency_services.member_set(user=bl.user, agency=b)
        b_coordinator = UserFactory(username="bsecret-coordinator")
        b_coordinator.groups.add(Group.objects.get(name="Coordinator"))
        agency_services.member_set(user=b_coordinator, agency=b)
        community = CommunityFactory(
            name="Bsecret Community", name_en="Bsecret Community", slug="bee-community"
        )
        Assignment.objects.create(liaison=bl, community=community, starts_on=dt.date(2024, 1, 1))
        partner = PartnerFactory(name="Bsecret Partner")
        contact = ContactFactory(liaison=bl, communities=[community], partner=partner, people_reached=7919)
        event = OutreachEventFactory(
            title="Bsecret Meeting",
            title_en="Bsecret Meeting",
            status="published",
            created_by=bl.user,
            communities=[community],
            hosts=[bl],
        )
        QuarterlyTarget.objects.create(liaison=bl, contacts=31)
        EventAttendance.objects.create(event=event, date=event.start.date(), total=41, recorded_by=bl.user)
        subscriber = SubscriberFactory(email="bsecret-subscriber@example.org", communities=[community])
        concern = ConcernFactory(
            text="Bsecret concern text",
            assignee=bl,
            community=community,
            status="closed",
            published=True,
            public_summary="Bsecret summary",
            public_response="Bsecret response",
            published_at=timezone.now(),
            closed_at=timezone.now(),
        )
        StatusChange.objects.create(
            concern=concern, to_status="closed", reason="Bsecret reason", actor=bl.user
        )
        InternalNote.objects.create(concern=concern, author=bl.user, text="Bsecret note")
        followup = FollowUp.objects.create(concern=concern)
        PublishedComment.objects.create(
            text="Bsecret published comment", language="en", published_by=b_coordinator
        )
        survey = SurveyResponse.objects.create(
            source="pulse",
            language="en",
            respect=4,
            would_contact=4,
            know_how=3,
            comment="Bsecret survey comment",
            comment_status="new",
            community=community,
        )
        policy = policy_services.policy_create(
            actor=b_coordinator,
            kind="other",
            slug="bsecret-policy",
            title={"en": "Bsecret Policy"},
            body={"en": "Bsecret policy body."},
            effective_on=dt.date(2026, 1, 1),
        )
        alert = SafetyAlert.objects.create(
            title="Bsecret Alert",
            body="Bsecret alert body",
            area="Bsecret area",
            status="sent",
            sent_at=timezone.now(),
        )
        waiting = SafetyAlert.objects.create(
            title="Bsecret Waiting", body="Bsecret", area="Bsecret", status="submitted"
        )
        engagement = EngagementRequest.objects.create(subject="Bsecret Request", requested_by=b_coordinator)
        engagement.communities.set([community])
        engagement.liaisons.add(bl)
        job = ExportJob.objects.create(
            owner=b_coordinator, what="contacts", fmt="csv", language="en", filename="bsecret"
        )
        b_token_row, b_token = api_services.token_create(
            actor=bl.user, name="Bsecret token", scopes=["contacts:read"], days=1
        )
        audit_record(event=audit_events.LOGIN, actor=bl.user, data={"note": "Bsecret audit"})
        Message.objects.create(
            key="bsecret-message",
            channel="email",
            address="bsecret-address@example.org",
            language="en",
            subject="Bsecret subject",
            body="Bsecret body",
        )
        b_users = (bl.user, b_coordinator)

    code = codes.display(concern.code)
    pk = lambda obj: {"pk": obj.pk}  # noqa: E731
    # url name -> the kwargs that name one of B's records, and the kwargs naming nothing.
    record = {
        **{
            n: pk(contact)
            for n in ("liaison:contact-saved", "liaison:contact-edit", "liaison:contact-delete")
        },
        **{n: pk(event) for n in ("outreach:event-detail", "outreach:event-flyer", "surveys:event-survey")},
        **{
            f"outreach:staff-event-{n}": pk(event)
            for n in ("edit", "publish", "cancel", "attendance", "attendance-queue")
        },
        "outreach:alert-detail": pk(alert),
        **{f"outreach:staff-alert-{n}": pk(waiting) for n in ("edit", "submit", "approve", "withdraw")},
        "outreach:subscribe-confirm": {"token": _confirm_token(subscriber, community)},
        "outreach:unsubscribe": {"token": subscriber.unsubscribe_token},
        "feedback:concern-status": {"code": code},
        "feedback:followup": {"token": followup.token},
        **{
            f"feedback:concern-{n}": pk(concern)
            for n in ("detail", "assign", "change-status", "add-note", "publish")
        },
        **{f"surveys:{n}": pk(survey) for n in ("comment", "comment-mark", "comment-publish")},
        "policies:detail": {"slug": policy.slug},
        "policies:version": {"slug": policy.slug, "number": 1},
        "policies:staff-publish": pk(policy),
        **{f"engagement:{n}": pk(engagement) for n in ("detail", "assign", "move", "link", "log-contact")},
        "dashboard:export_job": {"job_id": job.pk},
        "dashboard:export_download": {"job_id": job.pk},
        "api-token-revoke": pk(b_token_row),
        "password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(bl.user.pk)),
            "token": default_token_generator.make_token(bl.user),
        },
        "api:contact": pk(contact),
        "api:event": pk(event),
        "api:event-attendance": pk(event),
        "api:open311-request": {"code": code},
        "api:open311-request-xml": {"code": code},
    }
    missing_code = codes.display(codes.new_code())
    missing = {
        name: {
            k: (
                MISSING_INT
                if isinstance(v, int)
                else uuid.uuid4()
                if isinstance(v, uuid.UUID)
                else missing_code
                if k == "code"
                else "no-such-page"
                if k == "slug"
                else "MTIzNDU2Nzg"
                if k == "uidb64"
                else "made-up-token"
            )
            for k, v in kwargs.items()
        }
        for name, kwargs in record.items()
    }
    # Patterns whose kwargs name no record (a language file, an export kind, a category code).
    static = {
        "rosetta-file-list": [{"po_filter": "project"}],
        "rosetta-form": [{"po_filter": "project", "lang_id": "fr", "idx": 0}],
        "rosetta-download-file": [{"po_filter": "project", "lang_id": "fr", "idx": 0}],
        "dashboard:export": [{"what": w, "fmt": f} for w in ("figures", "contacts") for f in ("csv", "xlsx")],
        "api:open311-service": [{"code": "safety"}],
        "api:open311-service-xml": [{"code": "safety"}],
    }
    return {
        "a": a,
        "b": b,
        "clients": clients,
        "a_token": a_token,
        "b_token": b_token,
        "a_event": a_event,
        "a_community": a_community,
        "before": before,
        "record": record,
        "missing": missing,
        "static": static,
        "marks": [MARK, MARK.lower(), MARK.upper(), code, concern.code, "bsecret-subscriber", "7919"],
        "b_objects": {
            "contact": contact,
            "event": event,
            "community": community,
            "concern": concern,
            "subscriber": subscriber,
            "partner": partner,
        },
        "b_users": b_users,
    }


def _confirm_token(subscriber, community):
    from django.core import signing

    payload = {"s": subscriber.pk, "l": "en", "c": [community.pk], "m": True, "a": False}
    return signing.dumps(payload, salt=notices.CONFIRM_SALT, compress=True)


@pytest.fixture
def first_wall_only(monkeypatch):
    """The requests run without the database's row-level security: the application's own
    scoping must hold by itself."""
    import agencies.middleware

    monkeypatch.setattr(agencies.middleware.rls, "enter", lambda agency_id: False)


def b_rows(b) -> dict:
    """Every row of agency B, as stored: the walk must change none of them."""
    from django.apps import apps
    from django.utils import translation

    rows = {}
    # In one language whatever a page left active: values() reads a translated field's column
    # in the active language (modeltranslation).
    with translation.override("en"):
        for model in apps.get_models():
            if issubclass(model, AgencyOwned) and model._meta.managed:
                rows[model._meta.label] = list(model.all_agencies.filter(agency=b).order_by("pk").values())
    return rows


def body_text(response) -> str:
    """The text of a page, a streamed CSV, an ICS feed or an XLSX workbook."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":  # a workbook: its sheets' XML
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            raw = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xml"))
    return raw.decode("utf-8", errors="replace")


def leaks(text: str, marks) -> list[str]:
    return [m for m in marks if m in text]


def outcome(response) -> tuple:
    """What a visitor learns from an answer: its status and where a redirect leads."""
    location = response.get("Location", "").split("?", 1)[0] if response.status_code in (301, 302) else ""
    return response.status_code, location


def _url(name, kwargs):
    return reverse(name, kwargs=kwargs or None)


POST_DATA = {
    "status": "closed",
    "to_status": "closed",
    "reason": "moved by agency A",
    "text": "written by agency A",
    "note": "written by agency A",
    "public_response": "agency A was here",
    "public_summary": "agency A was here",
    "confirm": "1",
    "action": "approve",
}


def test_isolation_every_url_for_every_role_of_a_answers_b_records_as_missing(sealed, first_wall_only):
    patterns = list(all_patterns())
    admin_models = _admin_models()
    unknown = []
    detail, lists = [], []
    for route, name, pattern in patterns:
        kwargs = kwarg_names(pattern)
        if name.startswith("admin:"):
            if name.startswith("admin:agencies_"):
                continue  # the operators' (superusers') agency and membership pages: every agency
            if not kwargs or kwargs == ["app_label"]:
                lists.append((name, [{"app_label": "liaison"}] if kwargs else [{}]))
            elif "object_id" in kwargs and name in admin_models:
                detail.append((name, "admin"))
            elif name in admin_models and kwargs == ["id"]:
                detail.append((name, "admin"))
            elif name.rsplit("_", 1)[0] in DEPLOYMENT_ADMIN and not kwargs:
                if name.startswith("admin:agencies_"):
                    continue  # the operators' own pages: every agency, by design
                lists.append((name, [{}]))
            elif name == "admin:view_on_site" or name.rsplit("_", 1)[0] in DEPLOYMENT_ADMIN:
                continue  # view_on_site: any model's object, covered by the change pages
            else:
                unknown.append(f"{name} ({route})")
            continue
        if not kwargs:
            lists.append((name, [{}]))
        elif name in sealed["record"]:
            assert sorted(sealed["record"][name]) == kwargs, name
            detail.append((name, "record"))
        elif name in sealed["static"]:
            lists.append((name, sealed["static"][name]))
        else:
            unknown.append(f"{name} ({route})")
    assert unknown == [], "say how to fill these URLs with agency B's records:\n" + "\n".join(unknown)

    clients, marks = sealed["clients"], sealed["marks"]
    before = b_rows(sealed["b"])
    failures = []

    # Lists, exports and feeds: nothing of B in them.
    seen = set()
    for name, kwarg_sets in lists:
        for kwargs in kwarg_sets:
            try:
                url = _url(name, kwargs)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(f"{name}: cannot build ({exc})")
                continue
            if url in seen or "logout" in name:
                continue
            seen.add(url)
            for role in ROLES:
                response = clients[role].get(url)
                found = leaks(body_text(response), marks)
                if found:
                    failures.append(f"{name} as {role}: {found} in {url}")

    # Records of B: the same answer as for a record that does not exist, for GET and POST.
    b_objects = sealed["b_objects"]
    for name, kind in detail:
        if kind == "admin":
            model = admin_models[name]
            obj = _b_admin_object(model, sealed["b"])
            assert obj is not None, f"agency B has no {model._meta.label} for {name}"
            key = "id" if name.endswith("_password_change") else "object_id"
            urls = (_url(name, {key: obj.pk}), _url(name, {key: MISSING_INT}))
        else:
            urls = (_url(name, sealed["record"][name]), _url(name, sealed["missing"][name]))
        for role in ROLES:
            for method in ("get", "post"):
                call = getattr(clients[role], method)
                args = {"data": POST_DATA} if method == "post" else {}
                got, nothing = call(urls[0], **args), call(urls[1], **args)
                if outcome(got) != outcome(nothing):
                    failures.append(
                        f"{method.upper()} {name} as {role}: {outcome(got)} for B's record, "
                        f"{outcome(nothing)} for none ({urls[0]})"
                    )
                elif got.status_code == 200:
                    found = leaks(body_text(got), marks)
                    if found:
                        failures.append(f"{method.upper()} {name} as {role}: {found} in {urls[0]}")

    # Query strings naming B's records on A's pages.
    probes = [
        f"/events/calendar.ics?event={b_objects['event'].pk}",
        "/en/dashboard/?community=" + str(b_objects["community"].pk),
        "/en/contacts/?community=" + str(b_objects["community"].pk),
        "/en/concerns/queue/?community=" + str(b_objects["community"].pk),
        "/en/events/?community=" + b_objects["community"].slug,
        "/en/you-said-we-did/?community=" + b_objects["community"].slug,
        "/open311/v2/requests.json?service_request_id=" + codes.display(b_objects["concern"].code),
        "/open311/v2/requests.xml?service_request_id=" + codes.display(b_objects["concern"].code),
    ]
    for url in probes:
        for role in ROLES:
            response = clients[role].get(url)
            found = leaks(body_text(response), marks)
            if found:
                failures.append(f"{url} as {role}: {found}")
    community_feed = clients["anonymous"].get(f"/events/calendar.ics?community={b_objects['community'].slug}")
    if community_feed.status_code != 404:
        failures.append(f"calendar of B's community on A's host: {community_feed.status_code}")

    assert failures == [], "\n".join(failures)
    assert b_rows(sealed["b"]) == before, "a request of agency A changed agency B's records"

    # A's figures and contacts are what they were before B had any records.
    # The walk leaves whichever language its last page chose active; the export's address (and so
    # its language) is taken in English, as it was before.
    for what, was in sealed["before"].items():
        with translation.override("en"):
            url = reverse("dashboard:export", kwargs={"what": what, "fmt": "csv"})
        now = clients["commander"].get(url)
        assert b"".join(now.streaming_content) == was, what


# Admin pages of deployment-wide tables that hold nothing of one agency's, with the reason.
DEPLOYMENT_ADMIN = {
    "admin:agencies_agency": "the deployment's operators (superusers) add and edit agencies",
    "admin:agencies_membership": "the operators (superusers) place accounts in agencies",
    "admin:auth_group": "the roles, the same in every agency",
    "admin:liaison_topic": "deployment-wide (agencies/)",
    "admin:feedback_concerncategory": "deployment-wide (agencies/)",
    "admin:axes_accessattempt": "scoped by the user name's agency (tests/agencies/test_admin_scope.py)",
    "admin:axes_accesslog": "the same, the sign-ins themselves",
    "admin:axes_accessfailurelog": "the same, the failures",
}


def _b_admin_object(model, b):
    """One of agency B's rows of an admin's model (accounts and the change log included)."""
    from auditlog.models import LogEntry
    from django.contrib.auth import get_user_model

    from audit.models import Entry

    if model is get_user_model():
        return model.objects.filter(agency_membership__agency=b).first()
    if model is LogEntry:
        return LogEntry.objects.filter(
            pk__in=Entry.all_agencies.filter(agency=b).values("log_entry_id")
        ).first()
    return model.all_agencies.filter(agency=b).first()


def _admin_models() -> dict:
    """admin:<app>_<model>_<view> -> the model, for every registered model holding agency
    records: agency-owned ones, the accounts and django-auditlog's change log."""
    from auditlog.models import LogEntry
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    out = {}
    for model in admin.site._registry:
        if not (issubclass(model, AgencyOwned) or model in (get_user_model(), LogEntry)):
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        for view in ("change", "delete", "history", "changelist", "add", "password_change"):
            out[prefix + view] = model
    return out


def test_isolation_every_api_operation_with_a_token_and_a_session_of_a(sealed, first_wall_only):
    clients, marks = sealed["clients"], sealed["marks"]
    schema = yaml.safe_load(clients["anonymous"].get("/api/schema/").content)
    b_objects = sealed["b_objects"]
    fill = {"pk": b_objects["event"].pk, "code": codes.display(b_objects["concern"].code)}
    by_path = {"/api/v1/contacts/{id}/": b_objects["contact"].pk}
    token = {"HTTP_AUTHORIZATION": f"Bearer {sealed['a_token']}"}
    callers = {"token": (Client(), token), "session": (clients["coordinator"], {})}
    before = b_rows(sealed["b"])
    failures = []
    operations = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operations += 1
            params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            url = path
            for param in params:
                value = by_path.get(path) if param in ("id", "pk") and path in by_path else None
                if value is None and param in ("id", "pk"):
                    value = fill["pk"]
                elif value is None and param == "code":
                    value = "safety" if "services" in path else fill["code"]
                elif value is None:
                    failures.append(f"{method.upper()} {path}: no value for {param}")
                    continue
                url = url.replace("{" + param + "}", str(value))
            for caller, (client, headers) in callers.items():
                if method == "get":
                    response = client.get(url, **headers)
                    if params and "services" not in path and response.status_code not in (401, 404):
                        failures.append(f"GET {url} ({caller}): {response.status_code} for B's record")
                    found = leaks(body_text(response), marks)
                    if found:
                        failures.append(f"GET {url} ({caller}): {found}")
                elif params:
                    body = {"people_reached": 1, "notes": "agency A was here", "attendance": 5}
                    response = getattr(client, method)(
                        url, data=body, content_type="application/json", **headers
                    )
                    if response.status_code not in (401, 403, 404, 405):
                        failures.append(
                            f"{method.upper()} {url} ({caller}): {response.status_code} for B's record"
                        )
    # A new contact of A cannot name B's community; a new concern cannot be filed into B's.
    response = Client().post(
        "/api/v1/contacts/",
        data={
            "date": str(dt.date.today() - dt.timedelta(days=1)),
            "kind": "informal_visit",
            "people_reached": 2,
            "language": "en",
            "communities": [b_objects["community"].pk],
        },
        content_type="application/json",
        **token,
    )
    if response.status_code != 400:
        failures.append(f"POST /api/v1/contacts/ with B's community: {response.status_code}")
    assert operations >= 10, "the schema lists the API's operations"
    assert failures == [], "\n".join(failures)
    assert b_rows(sealed["b"]) == before, "an API call of agency A changed agency B's records"

    # B's token is not a key to A's API, nor A's to B's.
    assert (
        Client().get("/api/v1/contacts/", HTTP_AUTHORIZATION=f"Bearer {sealed['b_token']}").status_code == 401
    )
    assert Client().get("/api/v1/contacts/", HTTP_HOST="b.example", **token).status_code == 401, (
        "A's token on B's host"
    )


def test_isolation_each_agency_has_its_own_calendar_open311_and_public_api(sealed, first_wall_only):
    b_objects = sealed["b_objects"]
    a_feed = Client().get("/events/calendar.ics").content.decode()
    b_feed = Client().get("/events/calendar.ics", HTTP_HOST="b.example").content.decode()
    assert "Alpha meeting" in a_feed and MARK not in a_feed
    assert "Bsecret Meeting" in b_feed and "Alpha meeting" not in b_feed
    # The same feed, asked for by each host in turn: never the other's cached copy.
    assert MARK not in Client().get("/events/calendar.ics").content.decode()
    assert "Alpha meeting" not in Client().get("/events/calendar.ics", HTTP_HOST="b.example").content.decode()

    code = codes.display(b_objects["concern"].code)
    assert Client().get(f"/open311/v2/requests/{code}.json").status_code == 404
    assert Client().get(f"/open311/v2/requests/{code}.json", HTTP_HOST="b.example").status_code == 200
    on_a = Client().get(f"/open311/v2/requests.json?service_request_id={code}")
    on_b = Client().get(f"/open311/v2/requests.json?service_request_id={code}", HTTP_HOST="b.example")
    assert code not in on_a.content.decode()
    assert code in on_b.content.decode()
    assert Client().get("/open311/v2/services.json", HTTP_HOST="b.example").status_code == 200

    a_public = Client().get("/api/v1/public/events/").content.decode()
    b_public = Client().get("/api/v1/public/events/", HTTP_HOST="b.example").content.decode()
    assert "Alpha meeting" in a_public and MARK not in a_public
    assert "Bsecret Meeting" in b_public and "Alpha meeting" not in b_public
    a_said = Client().get("/api/v1/public/you-said-we-did/").content.decode()
    b_said = Client().get("/api/v1/public/you-said-we-did/", HTTP_HOST="b.example").content.decode()
    assert MARK not in a_said and "Bsecret summary" in b_said


def test_isolation_a_staff_account_of_a_is_signed_out_on_b_host(sealed, first_wall_only):
    client = sealed["clients"]["coordinator"]
    response = client.get("/en/contacts/", HTTP_HOST="b.example")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Membership.objects.filter(user__username="bsecret-liaison", agency=sealed["b"]).exists()
