from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from languages.forms import add_service_errors

from . import ratelimits, selectors, services
from .forms import (
    AssignForm,
    ConcernForm,
    FollowUpForm,
    NoteForm,
    PublishForm,
    QueueFilterForm,
    StatusForm,
    TrackForm,
)
from .models import Concern

PAGE_SIZE = 25
# The submitted page shows the code only to the browser that just submitted it.
# The new concern's code goes to the next page in a signed, HttpOnly cookie scoped to that
# page: never in the address (history, proxies, access logs), and no session row written for
# an anonymous visitor (one database write fewer per submission).
CODE_COOKIE = "bridge_concern_code"
CODE_COOKIE_AGE = 60 * 60


def _remember_code(response, code: str):
    response.set_signed_cookie(
        CODE_COOKIE,
        code,
        salt=CODE_COOKIE,
        max_age=CODE_COOKIE_AGE,
        path=response["Location"],
        secure=settings.SESSION_COOKIE_SECURE,  # as the session cookie: HTTPS in production
        httponly=True,
        samesite="Strict",
    )
    return response


def NOT_FOUND():  # noqa: N802 - a message, translated when shown
    return _("We could not find a concern with this code. Check each letter and number, and try again.")


# --- Public --------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def concern_new(request):
    form = ConcernForm(request.POST or None)
    if request.method == "POST":
        # A submission (or a honeypot hit) is counted once, in one cache round trip; a form
        # sent back with a mistake is not counted. Over the limit, what was typed is kept.
        if form.is_spam:
            limit = ratelimits.hit(request, ratelimits.SUBMIT)
            if limit.limited:
                return ratelimits.refused(request, limit, template="feedback/concern_form.html", form=form)
            form.add_error(
                None,
                _("We could not accept this message. Please leave the last field empty and send it again."),
            )
            return render(request, "feedback/concern_form.html", {"form": form}, status=400)
        if form.is_valid():
            limit = ratelimits.hit(request, ratelimits.SUBMIT)
            if limit.limited:
                return ratelimits.refused(request, limit, template="feedback/concern_form.html", form=form)
            data = form.cleaned_data
            try:
                concern = services.concern_submit(
                    category=data["category"],
                    text=data["text"],
                    community=data.get("community"),
                    place=data["place"],
                    contact_method=data["contact_method"],
                    email=data["email"],
                    phone=data["phone"],
                    language=data["language"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _remember_code(redirect("feedback:concern-submitted"), concern.code)
        return render(request, "feedback/concern_form.html", {"form": form}, status=400)
    return render(request, "feedback/concern_form.html", {"form": form})


@login_not_required
@never_cache
@require_GET
def concern_submitted(request):
    """The code, large, and a printable slip. Kept in the session rather than the address so
    it does not end up in browser history, proxies or the server's access log."""
    code = request.get_signed_cookie(CODE_COOKIE, default=None, salt=CODE_COOKIE, max_age=CODE_COOKIE_AGE)
    concern = selectors.concern_by_code(code) if code else None
    if concern is None:
        return redirect("feedback:concern-track")
    return render(
        request,
        "feedback/concern_submitted.html",
        {"concern": concern, "status": selectors.public_status(concern, get_language())},
    )


def _status_page(request, concern):
    return render(
        request,
        "feedback/concern_status.html",
        {"status": selectors.public_status(concern, get_language())},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def concern_track(request):
    """The form, and the look-up as a POST that answers with the status page itself: the code
    never travels in a query string or a redirect, so it stays out of access logs, browser
    history and Referer headers. A GET with ?code= (an old bookmark) looks nothing up: it goes
    to the bare form, so the page's own links (the language switcher) do not repeat the code."""
    if request.method == "GET":
        if request.GET:
            return redirect("feedback:concern-track")
        return render(request, "feedback/concern_track.html", {"form": TrackForm()})
    limit = ratelimits.hit(request, ratelimits.TRACK)
    if limit.limited:
        return ratelimits.refused(request, limit)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/concern_track.html", {"form": form}, status=400)
    concern = selectors.concern_by_code(form.cleaned_data["code"])
    if concern is None:
        form.add_error("code", NOT_FOUND())
        return render(request, "feedback/concern_track.html", {"form": form}, status=404)
    return _status_page(request, concern)


@login_not_required
@never_cache
@require_GET
def concern_status(request, code):
    """The stable address printed on slips and sent in e-mails: /<lang>/concerns/track/<code>/.
    The code is in the path here, so the log filter (bridge.logs) redacts it."""
    limit = ratelimits.hit(request, ratelimits.TRACK)
    if limit.limited:
        return ratelimits.refused(request, limit)
    concern = selectors.concern_by_code(code)
    if concern is None:
        form = TrackForm({"code": code[:40]})
        if form.is_valid():
            form.add_error("code", NOT_FOUND())
        return render(request, "feedback/concern_track.html", {"form": form}, status=404)
    return _status_page(request, concern)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def followup(request, token):
    """ "Was it resolved?": the link in the follow-up message. The token is random, says
    nothing about the concern, and is redacted from logs (bridge.logs)."""
    found = selectors.followup_by_token(token)
    if found is None:
        raise Http404
    status = selectors.public_status(found.concern, get_language())
    if found.answered_at is not None:
        return render(request, "feedback/followup_done.html", {"followup": found, "status": status})
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.followup_answer(
                token=token, resolved=form.cleaned_data["resolved"], comment=form.cleaned_data["comment"]
            )
        except services.FollowUpAnswered:
            # A second tab or a double click: the first answer stands, and the page says so.
            answered = selectors.followup_by_token(token)
            return render(request, "feedback/followup_done.html", {"followup": answered, "status": status})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request,
                "feedback/followup_done.html",
                {"followup": answered, "status": status, "thanks": True},
            )
    code = 400 if request.method == "POST" else 200
    return render(request, "feedback/followup.html", {"form": form, "status": status}, status=code)


@login_not_required
@require_GET
def you_said_we_did(request):
    language = get_language()
    page = Paginator(selectors.you_said_we_did(language), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [selectors.published_item(c, language) for c in page.object_list]
    comments = selectors.published_comments(language) if page.number == 1 else []
    return render(
        request,
        "feedback/you_said_we_did.html",
        {"page": page, "items": items, "comments": comments, "query": ""},
    )


# --- Staff ---------------------------------------------------------------------------------


@permission_required("feedback.view_concern", raise_exception=True)
@require_GET
def concern_queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.warning(request, _("Some filters were not understood and were ignored."))
    status = filters.get("status") or selectors.OPEN
    age = filters.get("age")
    concerns = selectors.concern_queue_for(
        user=request.user,
        status=None if status == "all" else status,
        category=filters.get("category"),
        community=filters.get("community"),
        assignee=filters.get("assignee") or None,
        older_than_days=int(age) if age else None,
    )
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/queue.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


def _concern(pk) -> Concern:
    try:
        return selectors.concern_for_staff(pk)
    except Concern.DoesNotExist as exc:
        raise Http404 from exc


def _detail(
    request, concern, *, status_form=None, assign_form=None, note_form=None, publish_form=None, status=200
):
    can_triage = services.can_triage(request.user)
    can_publish = services.can_publish(request.user)
    # Need to know: shown (and recorded on the audit trail) only to who may see it.
    address = services.concern_contact_reveal(actor=request.user, concern=concern, request=request)
    return render(
        request,
        "feedback/concern_detail.html",
        {
            "concern": concern,
            "contact_address": address,
            "answers": selectors.concern_answers(concern, with_address=bool(address)),
            "can_triage": can_triage,
            "can_assign": services.can_assign(request.user),
            "can_publish": can_publish,
            "status_form": status_form or StatusForm(concern=concern),
            "assign_form": assign_form or AssignForm(initial={"assignee": concern.assignee_id}),
            "note_form": note_form or NoteForm(),
            "publish_form": publish_form or PublishForm(concern=concern),
            "language_names": dict(settings.LANGUAGES),
        },
        status=status,
    )


@permission_required("feedback.view_concern", raise_exception=True)
@require_GET
def concern_detail(request, pk):
    return _detail(request, _concern(pk))


def _write(request, pk, form, action, **detail_form):
    """Run one staff write: form -> service -> message -> redirect, or the page with errors."""
    concern = _concern(pk)
    if form.is_valid():
        try:
            success = action(concern, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect("feedback:concern-detail", pk=concern.pk)
    return _detail(request, concern, status=400, **{detail_form["name"]: form})


@permission_required("feedback.assign_concern", raise_exception=True)
@require_POST
def concern_assign(request, pk):
    def action(concern, form):
        services.concern_assign(actor=request.user, concern=concern, assignee=form.cleaned_data["assignee"])
        return _("The assignment was saved.")

    return _write(request, pk, AssignForm(request.POST), action, name="assign_form")


@permission_required("feedback.triage_concern", raise_exception=True)
@require_POST
def concern_change_status(request, pk):
    concern = get_object_or_404(Concern, pk=pk)
    form = StatusForm(request.POST, concern=concern)

    def action(concern, form):
        change = services.concern_set_status(
            actor=request.user,
            concern=concern,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            responses=form.responses(),
        )
        if change is None:
            return _("The public response was saved.")
        return _("The status is now “%(status)s”.") % {"status": Concern.Status(change.to_status).label}

    return _write(request, pk, form, action, name="status_form")


@permission_required("feedback.triage_concern", raise_exception=True)
@require_POST
def concern_add_note(request, pk):
    def action(concern, form):
        services.concern_note_add(actor=request.user, concern=concern, text=form.cleaned_data["text"])
        return _("The note was added.")

    return _write(request, pk, NoteForm(request.POST), action, name="note_form")


@permission_required("feedback.publish_concern", raise_exception=True)
@require_POST
def concern_publish(request, pk):
    concern = get_object_or_404(Concern, pk=pk)
    form = PublishForm(request.POST, concern=concern)

    def action(concern, form):
        services.concern_publish(
            actor=request.user,
            concern=concern,
            published=form.cleaned_data["published"],
            summaries=form.summaries(),
        )
        if form.cleaned_data["published"]:
            return _("It is published on “You said, we did”.")
        return _("It is not published.")

    return _write(request, pk, form, action, name="publish_form")
