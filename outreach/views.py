import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from agencies import conf
from languages import content
from languages.forms import add_service_errors
from liaison import queue
from liaison import selectors as liaison_selectors
from liaison.services import ClientIdTaken

from . import alerts as alert_messages
from . import flyer, selectors, services
from .calendar import build_calendar
from .forms import AlertForm, AlertSubmitForm, AttendanceForm, EventFilterForm, EventForm, SubscribeForm
from .models import OutreachEvent, SafetyAlert, Subscriber

# --- Public pages -------------------------------------------------------------------------

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
_EVENT_ID = re.compile(r"[0-9]{1,18}")
_UNSUBSCRIBE_TOKEN = re.compile(r"[-A-Za-z0-9_:]{1,200}")


PUBLIC_EVENTS_PAGE = 20


@login_not_required
def event_list(request):
    form = EventFilterForm(request.GET or None, languages=selectors.interpretation_languages_offered())
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.info(request, _("That filter is not available; showing every meeting."))
    events = selectors.upcoming_events(
        community=filters.get("community"), language=filters.get("language") or None
    )
    community = filters.get("community")
    # A page at a time: a unit with a thousand upcoming meetings renders twenty.
    page = Paginator(events, PUBLIC_EVENTS_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/event_list.html",
        {
            "form": form,
            "events": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "community": community,
            # Councils' and associations' regular meetings, open to all, under the events.
            "councils": liaison_selectors.public_regular_meetings(community=community),
        },
    )


@login_not_required
def event_detail(request, pk):
    event = selectors.public_event(pk)
    if event is None:
        raise Http404(_("There is no such meeting."))
    now = timezone.now()
    return render(
        request,
        "outreach/event_detail.html",
        {"event": event, "occurrences": event.occurrences(after=now, limit=6), "now": now},
    )


@login_not_required
def event_flyer(request, pk):
    """A page to print (A4 or Letter) in the address's language: community partners print
    it too, so it is public like the event page, and a draft is a 404 here as there."""
    event = selectors.public_event(pk)
    if event is None:
        raise Http404(_("There is no such meeting."))
    paper = flyer.flyer_paper(request.GET.get("paper"))
    now = timezone.now()
    page_url = flyer.event_page_url(event, translation.get_language())
    return render(
        request,
        "outreach/event_flyer.html",
        {
            "event": event,
            "occurrences": event.occurrences(after=now, limit=3),
            "paper": paper,
            "languages": flyer.flyer_links(event, paper=paper),
            "page_url": page_url,
            "qr_svg": flyer.qr_svg(page_url),
        },
    )


@login_not_required
def calendar_feed(request):
    """/events/calendar.ics (outside the language prefix: calendar apps keep the address)."""
    community = None
    slug = request.GET.get("community")
    if slug:
        # Only a well-formed slug reaches the database: "%00" or 5,000 characters is a 404.
        community = selectors.community_by_slug(slug) if _SLUG.fullmatch(slug) else None
        if community is None:
            raise Http404("Unknown community")
    event = request.GET.get("event", "")
    # ASCII digits only: "²".isdigit() is true and int("²") fails.
    event_id = int(event) if _EVENT_ID.fullmatch(event) else None
    events = selectors.calendar_events(community=community, event_id=event_id)
    language = request.GET.get("lang") or translation.get_language_from_request(request, check_path=False)
    if language not in {c for c, _n in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    response = HttpResponse(
        build_calendar(events, language=language), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            # Per agency: one agency's visitors never spend another's budget.
            group=f"outreach.subscribe:{request.agency.pk}",
            key="ip",
            rate=conf.rate("signup"),
            method="POST",
            increment=True,
        )
        if limited:
            form.add_error(None, _("Too many sign-ups from this connection. Please try again in an hour."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.subscriber_signup(
                    channel=data["channel"],
                    address=data["address"],
                    language=data["language"],
                    communities=data["communities"],
                    consent_method=f"web form {request.path}",
                    wants_meetings=data["wants_meetings"],
                    wants_alerts=data["wants_alerts"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session["outreach_signup_channel"] = data["channel"]
                return redirect("outreach:subscribe-done")
    return render(request, "outreach/subscribe.html", {"form": form})


@login_not_required
def subscribe_done(request):
    channel = request.session.get("outreach_signup_channel", "email")
    return render(request, "outreach/subscribe_done.html", {"channel": channel})


def _token_problem(request, reason: str, *, what: str):
    return render(request, "outreach/token_problem.html", {"reason": reason, "what": what}, status=400)


@login_not_required
@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, token):
    try:
        subscriber, data = services.subscriber_from_confirm_token(token)
    except services.TokenError as exc:
        return _token_problem(request, exc.reason, what="confirm")
    if request.method == "POST":
        subscriber = services.subscriber_confirm(token=token)
        return render(request, "outreach/subscribe_confirmed.html", {"subscriber": subscriber})
    # Older tokens carry no choice: meeting notices, as they asked then.
    choice = {"wants_meetings": data.get("m", True), "wants_alerts": data.get("a", False)}
    return render(request, "outreach/subscribe_confirm.html", {"subscriber": subscriber, **choice})


@login_not_required
@csrf_exempt  # RFC 8058 one-click: mail programs POST here without a form; the token is the secret
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    # The e-mail's random token, the bare SMS code or an old e-mail's signed token
    # (code:timestamp:signature), all URL-safe base64: anything else is refused before it
    # reaches the signer or the database.
    if not _UNSUBSCRIBE_TOKEN.fullmatch(token):
        return _token_problem(request, "invalid", what="unsubscribe")
    try:
        subscriber = services.subscriber_from_unsubscribe_token(token)
    except services.TokenError as exc:
        return _token_problem(request, exc.reason, what="unsubscribe")
    if request.method == "POST":
        services.subscriber_unsubscribe(token=token)
        return render(request, "outreach/unsubscribed.html")
    return render(request, "outreach/unsubscribe.html", {"subscriber": subscriber})


# --- Staff pages --------------------------------------------------------------------------


@permission_required("outreach.view_outreachevent", raise_exception=True)
def staff_event_list(request):
    events = selectors.staff_events(user=request.user)
    status = request.GET.get("status")
    if status in OutreachEvent.Status.values:
        events = events.filter(status=status)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/staff_event_list.html",
        {"page": page, "status": status, "statuses": OutreachEvent.Status.choices, "now": timezone.now()},
    )


def _managed_event(request, pk) -> OutreachEvent:
    event = get_object_or_404(OutreachEvent, pk=pk)
    if not services.can_manage_event(actor=request.user, event=event):
        raise PermissionDenied(_("You can only change events you created or host."))
    return event


@permission_required("outreach.add_outreachevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_event_new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                actor=request.user,
                communities=data["communities"],
                partners=data["partners"],
                hosts=data["hosts"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event was saved as a draft. Publish it to tell subscribers."))
            return redirect("outreach:staff-event-edit", pk=event.pk)
    return render(request, "outreach/staff_event_form.html", {"form": form, "creating": True})


@permission_required("outreach.change_outreachevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_event_edit(request, pk):
    event = _managed_event(request, pk)
    if event.is_cancelled:
        messages.info(request, _("This event is cancelled and can no longer be changed."))
        return redirect("outreach:staff-events")
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            queued = services.event_update(
                actor=request.user,
                event=event,
                communities=data["communities"],
                partners=data["partners"],
                hosts=data["hosts"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if queued:
                messages.success(
                    request,
                    ngettext(
                        "Saved. %(count)d subscriber is told about the change.",
                        "Saved. %(count)d subscribers are told about the change.",
                        queued,
                    )
                    % {"count": queued},
                )
            else:
                messages.success(request, _("The event was saved."))
            return redirect("outreach:staff-events")
    event.refresh_from_db()
    return render(
        request, "outreach/staff_event_form.html", {"form": form, "creating": False, "event": event}
    )


@permission_required("outreach.change_outreachevent", raise_exception=True)
@require_POST
def staff_event_publish(request, pk):
    event = _managed_event(request, pk)
    try:
        queued = services.event_publish(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Published. %(count)d subscriber gets a notice.",
                "Published. %(count)d subscribers get a notice.",
                queued,
            )
            % {"count": queued},
        )
    return redirect("outreach:staff-events")


@permission_required("outreach.change_outreachevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_event_cancel(request, pk):
    event = _managed_event(request, pk)
    if request.method == "POST":
        queued = services.event_cancel(actor=request.user, event=event)
        messages.success(
            request,
            ngettext(
                "Cancelled. %(count)d subscriber is told.",
                "Cancelled. %(count)d subscribers are told.",
                queued,
            )
            % {"count": queued},
        )
        return redirect("outreach:staff-events")
    return render(request, "outreach/staff_event_cancel.html", {"event": event})


def _record_attendance(request, event, form):
    """(attendance, created), or None with the reasons added to the form."""
    try:
        return services.event_record_attendance_once(
            actor=request.user,
            event=event,
            client_id=form.cleaned_data.get("client_id"),
            date=form.cleaned_data["date"],
            total=form.cleaned_data["total"],
            by_community=form.by_community(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@permission_required("outreach.change_outreachevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_event_attendance(request, pk):
    event = _managed_event(request, pk)
    form = AttendanceForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = _record_attendance(request, event, form)
        except ClientIdTaken:
            recorded = None
            form.add_error(None, _("This form was already used for another record. Start again."))
        if recorded is not None:
            queue.mark_sent(request, form.cleaned_data.get("client_id"))
            messages.success(
                request,
                _("Attendance recorded. It counts as a contact for each hosting liaison this quarter."),
            )
            return redirect(reverse("outreach:staff-events"))
    return render(
        request,
        "outreach/staff_event_attendance.html",
        {
            "event": event,
            "form": form,
            "recorded": event.attendance.prefetch_related("by_community__community"),
        },
    )


@queue.endpoint
def staff_event_attendance_queue(request, client_id, pk):
    """Where the field app sends attendance recorded on the device: the same rules as the
    page, each device identifier applied once, JSON answers (liaison.queue)."""
    if not request.user.has_perm("outreach.change_outreachevent"):
        raise PermissionDenied(_("You can no longer record attendance for events."))
    try:
        event = _managed_event(request, pk)
    except (Http404, PermissionDenied):
        raise PermissionDenied(_("You can no longer record attendance for this event.")) from None
    form = AttendanceForm(request.POST, event=event)
    if form.is_valid():
        recorded = _record_attendance(request, event, form)
        if recorded is not None:
            return queue.accepted(
                created=recorded[1], url=reverse("outreach:staff-event-attendance", args=[pk])
            )
    return queue.refused(form)


# --- Safety alerts: public ------------------------------------------------------------------

PUBLIC_ALERTS_PAGE = 20


@login_not_required
def alert_list(request):
    community = None
    slug = request.GET.get("community")
    if slug:
        community = selectors.community_by_slug(slug) if _SLUG.fullmatch(slug) else None
        if community is None:
            messages.info(request, _("That community is not in the list; showing every alert."))
    alerts_page = Paginator(selectors.current_alerts(community=community), PUBLIC_ALERTS_PAGE)
    page = alerts_page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/alert_list.html",
        {"page": page, "alerts": page.object_list, "community": community, "query": query.urlencode()},
    )


@login_not_required
def alert_detail(request, pk):
    alert = selectors.public_alert(pk)
    if alert is None:
        raise Http404(_("There is no such alert."))
    return render(request, "outreach/alert_detail.html", {"alert": alert})


class AlertFeed(Feed):
    """The current alerts in the language of the address (/<lang>/alerts/feed/), each text in
    that language or, marked, in the one it falls back to."""

    feed_type = Atom1Feed  # its language is the active one: the address's prefix

    def title(self):
        return _("Safety alerts from the %(unit)s") % {"unit": conf.unit_name()}

    def subtitle(self):
        return _("In an emergency, call %(number)s. No one will ask about your immigration status.") % {
            "number": settings.EMERGENCY_NUMBER
        }

    def link(self):
        return reverse("outreach:alert-list")

    def items(self):
        return selectors.current_alerts()[:50]

    def item_title(self, item):
        return str(content.localized(item, "title"))

    def item_description(self, item):
        texts = [content.localized(item, name) for name in ("body", "advice")]
        parts = [_("Area: %(area)s") % {"area": item.area}, *(str(t) for t in texts if t)]
        if any(t.is_fallback for t in [content.localized(item, "title"), *texts]):
            parts.insert(
                0, _("Not yet translated into your language: shown in the language it was written in.")
            )
        parts.append(
            _("In an emergency, call %(number)s. No one will ask about your immigration status.")
            % {"number": settings.EMERGENCY_NUMBER}
        )
        return "\n\n".join(parts)

    def item_link(self, item):
        return reverse("outreach:alert-detail", kwargs={"pk": item.pk})

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.updated_at


@login_not_required
def alert_feed(request):
    return AlertFeed()(request)


# --- Safety alerts: staff -------------------------------------------------------------------


@permission_required("outreach.view_safetyalert", raise_exception=True)
def staff_alert_list(request):
    status = request.GET.get("status")
    if status not in SafetyAlert.Status.values:
        status = None
    page = Paginator(selectors.staff_alerts(status=status), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/staff_alert_list.html",
        {"page": page, "status": status, "statuses": SafetyAlert.Status.choices},
    )


@permission_required("outreach.add_safetyalert", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_alert_new(request):
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_save(
                actor=request.user,
                communities=form.cleaned_data["communities"],
                everyone=form.cleaned_data["everyone"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The alert was saved as a draft. Check it, then send it for approval.")
            )
            return redirect("outreach:staff-alert-edit", pk=alert.pk)
    return render(request, "outreach/staff_alert_form.html", {"form": form, "creating": True})


def _editable_alert(request, pk) -> SafetyAlert | None:
    alert = get_object_or_404(SafetyAlert, pk=pk)
    if alert.status in (SafetyAlert.Status.SENT, SafetyAlert.Status.WITHDRAWN):
        messages.info(request, _("This alert was sent or withdrawn and can no longer be changed."))
        return None
    return alert


@permission_required("outreach.change_safetyalert", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_alert_edit(request, pk):
    alert = _editable_alert(request, pk)
    if alert is None:
        return redirect("outreach:staff-alerts")
    form = AlertForm(request.POST or None, instance=alert)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_save(
                actor=request.user,
                alert=alert,
                communities=form.cleaned_data["communities"],
                everyone=form.cleaned_data["everyone"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The alert was saved."))
            return redirect("outreach:staff-alert-edit", pk=alert.pk)
    alert.refresh_from_db()
    return render(
        request,
        "outreach/staff_alert_form.html",
        {"form": form, "creating": False, "alert": alert, "submit_form": AlertSubmitForm()},
    )


@permission_required("outreach.change_safetyalert", raise_exception=True)
@require_POST
def staff_alert_submit(request, pk):
    alert = _editable_alert(request, pk)
    if alert is None:
        return redirect("outreach:staff-alerts")
    form = AlertSubmitForm(request.POST)
    try:
        services.alert_submit(actor=request.user, alert=alert, confirmed=form.is_valid())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("outreach:staff-alert-edit", pk=alert.pk)
    messages.success(request, _("The alert is waiting for a coordinator's approval."))
    return redirect("outreach:staff-alerts")


@permission_required("outreach.approve_alert", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_alert_approve(request, pk):
    alert = selectors.staff_alert(pk)
    if alert is None:
        raise Http404(_("There is no such alert."))
    if request.method == "POST":
        try:
            queued = services.alert_approve(actor=request.user, alert=alert)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("outreach:staff-alerts")
        messages.success(
            request,
            ngettext(
                "Approved and sent. %(count)d subscriber gets the alert.",
                "Approved and sent. %(count)d subscribers get the alert.",
                queued,
            )
            % {"count": queued},
        )
        return redirect("outreach:staff-alerts")
    counts = alert_messages.recipient_counts(alert)
    return render(
        request,
        "outreach/staff_alert_approve.html",
        {
            "alert": alert,
            "counts": counts,
            "total": sum(row["count"] for row in counts),
            "channels": dict(Subscriber.Channel.choices),
            "concern_url": reverse("feedback:concern-new"),
        },
    )


@permission_required("outreach.approve_alert", raise_exception=True)
@require_POST
def staff_alert_withdraw(request, pk):
    alert = get_object_or_404(SafetyAlert, pk=pk)
    services.alert_withdraw(actor=request.user, alert=alert)
    messages.success(
        request, _("The alert was withdrawn: it is off the public pages and nothing more is sent.")
    )
    return redirect("outreach:staff-alerts")
