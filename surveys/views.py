import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import conf as agency_conf
from feedback import ratelimits
from languages import registry
from languages.forms import add_service_errors
from outreach import flyer
from outreach import selectors as outreach_selectors

from . import selectors, services
from .forms import CommentFilterForm, CommentPublishForm, SurveyForm
from .models import SurveyResponse

PAGE_SIZE = 25


def _copy_digest(event_id, data: dict) -> str:
    """What makes two answers the same answer (a resent form, a burst of copies)."""
    community = data.get("community")
    same = [event_id, data["respect"], data["would_contact"], data["know_how"], data["comment"].strip()]
    same.append(community.pk if community else None)
    return hashlib.sha256(json.dumps(same).encode()).hexdigest()


def _survey(request, *, event=None):
    template = "surveys/survey.html"
    form = SurveyForm(request.POST or None)
    is_open = event is None or services.event_survey_open(event)
    context = {"form": form, "event": event, "is_open": is_open}
    if request.method != "POST":
        return render(request, template, context)
    if form.is_spam:
        limit = ratelimits.hit(request, ratelimits.SURVEY)
        if limit.limited:
            return ratelimits.refused(request, limit, template=template, **context)
        form.add_error(
            None, _("We could not accept this answer. Please leave the last field empty and send it again.")
        )
        return render(request, template, context, status=400)
    if form.is_valid():
        limit = ratelimits.hit(request, ratelimits.SURVEY)
        if limit.limited:
            return ratelimits.refused(request, limit, template=template, **context)
        data = form.cleaned_data
        digest = _copy_digest(event.pk if event else None, data)
        if not ratelimits.first_time(request, ratelimits.SURVEY, digest, settings.SURVEY_DUPLICATE_SECONDS):
            # The same answer again from the same place within minutes: counted once.
            return render(request, "surveys/thanks.html", {"event": event, "copy": True})
        try:
            services.survey_submit(
                language=get_language(),
                respect=data["respect"],
                would_contact=data["would_contact"],
                know_how=data["know_how"],
                comment=data["comment"],
                event=event,
                community=data.get("community"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("surveys:thanks")
    return render(request, template, context, status=400)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def pulse(request):
    """The standing trust pulse: /<lang>/survey/, printed on language-access cards."""
    return _survey(request)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_survey(request, pk):
    """After a meeting: /<lang>/events/<pk>/survey/, where its flyer's QR code leads once it
    has started."""
    event = outreach_selectors.public_event(pk)
    if event is None:
        raise Http404(_("There is no such meeting."))
    return _survey(request, event=event)


@login_not_required
@require_GET
def card(request):
    """Language-access cards to print and hand out (a sheet of eight, cut along the lines):
    in the address's language, with the QR code of the trust pulse in that language. Public,
    like the flyers: community partners print them too."""
    paper = flyer.flyer_paper(request.GET.get("paper"))
    pulse_url = agency_conf.site_url() + reverse("surveys:pulse")
    languages = flyer.print_links("surveys:card", registry.LANGUAGES, paper=paper)
    return render(
        request,
        "surveys/card.html",
        {
            "paper": paper,
            "languages": languages,
            "pulse_url": pulse_url,
            "qr_svg": flyer.qr_svg(pulse_url),
            "cards": range(8),
        },
    )


@login_not_required
@require_GET
def thanks(request):
    return render(request, "surveys/thanks.html", {})


# --- Staff ---------------------------------------------------------------------------------


@permission_required("surveys.read_comments", raise_exception=True)
@require_GET
def comment_list(request):
    form = CommentFilterForm(request.GET or None)
    status = (form.cleaned_data.get("status") if form.is_valid() else "") or "new"
    page = Paginator(selectors.comments(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/comments.html",
        {"form": form, "page": page, "status": status, "query": f"status={status}"},
    )


def _comment(pk):
    try:
        return selectors.comment_for_staff(pk)
    except SurveyResponse.DoesNotExist:
        raise Http404 from None


def _detail(request, response, *, publish_form=None, status=200):
    return render(
        request,
        "surveys/comment_detail.html",
        {
            "response": response,
            "publish_form": publish_form or CommentPublishForm(initial={"text": response.comment}),
            "can_publish": services.can_publish_comments(request.user),
        },
        status=status,
    )


@permission_required("surveys.read_comments", raise_exception=True)
@require_GET
def comment_detail(request, pk):
    return _detail(request, _comment(pk))


@permission_required("surveys.read_comments", raise_exception=True)
@require_POST
def comment_mark(request, pk):
    response = _comment(pk)
    try:
        services.comment_mark(actor=request.user, response=response, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The comment was saved."))
    return redirect("surveys:comment", pk=response.pk)


@permission_required("surveys.publish_comment", raise_exception=True)
@require_POST
def comment_publish(request, pk):
    response = _comment(pk)
    form = CommentPublishForm(request.POST)
    if form.is_valid():
        try:
            services.comment_publish(actor=request.user, response=response, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The comment is published on “You said, we did”."))
            return redirect("surveys:comment", pk=response.pk)
    return _detail(request, response, publish_form=form, status=400)
