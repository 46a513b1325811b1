"""The public read API for partner websites: upcoming meetings and "You said, we did", in
the language asked for, readable from any origin (CORS, reads only: settings.CORS_*)."""

import re

from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as s

from agencies import conf as agency_conf
from feedback import selectors as feedback_selectors
from languages import content
from outreach import selectors as outreach_selectors

from . import serializers as out
from .base import PublicView
from .errors import Refused
from .languages import bcp47
from .open311 import LOCALE_PARAM

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
PAGE = [
    OpenApiParameter("page", int, description="From 1."),
    OpenApiParameter("page_size", int, description="Up to 100 (25 unless asked)."),
]
ERRORS = {code: out.Error for code in (400, 404, 429)}


def page_of(name: str, results_serializer):
    return inline_serializer(
        name=name,
        fields={
            "count": s.IntegerField(),
            "next": s.URLField(allow_null=True),
            "previous": s.URLField(allow_null=True),
            "results": results_serializer,
        },
    )


def _event(event, language: str) -> dict:
    texts = {f: content.localized(event, f, language) for f in ("title", "description", "venue_directions")}
    with translation.override(language):
        url = agency_conf.site_url() + reverse("outreach:event-detail", args=[event.pk])
    return {
        "id": event.pk,
        **{f: t.text for f, t in texts.items()},
        "kind": event.kind,
        "kind_name": str(event.get_kind_display()),
        "status": event.status,
        "start": timezone.localtime(event.next_start, event.tz).isoformat(),
        "end": timezone.localtime(event.next_end, event.tz).isoformat(),
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "address": event.address,
        "language": bcp47(event.language),
        "interpretation_languages": [bcp47(c) for c in event.interpretation_languages or []],
        "communities": [
            {
                "slug": c.slug,
                "name": (n := content.localized(c, "name", language)).text,
                "locale": bcp47(n.language),
            }
            for c in event.communities.all()
        ],
        "url": url,
        "calendar_url": f"{agency_conf.site_url()}{reverse('calendar')}?event={event.pk}&lang={language}",
        "locale": {f: bcp47(t.language) for f, t in texts.items() if t.text},
    }


class PublicEvents(PublicView):
    cacheable = True

    @extend_schema(
        operation_id="public_events",
        tags=["Public"],
        parameters=[
            LOCALE_PARAM,
            OpenApiParameter("community", str, description="A community's slug."),
            *PAGE,
        ],
        responses={200: page_of("PublicEventPage", out.PublicEvent(many=True)), **ERRORS},
    )
    def get(self, request):
        community = None
        slug = request.query_params.get("community")
        if slug:
            community = outreach_selectors.community_by_slug(slug) if SLUG.fullmatch(slug) else None
            if community is None:
                raise Refused("not_found", 404)
        events = outreach_selectors.upcoming_events(community=community)
        pages, page = self.paginate(events, request)
        return pages.get_paginated_response([_event(e, self.language) for e in page])


def _item(concern, language: str) -> dict:
    item = feedback_selectors.published_item(concern, language)
    community, category = item["community"], item["category"]
    return {
        "summary": item["summary"],
        "category": category.text,
        "community": community.text if community else None,
        "quarter": item["quarter"].key if item["quarter"] else None,
        "locale": {
            k: bcp47(v)
            for k, v in {
                "summary": item["summary_language"] if item["summary"] else None,
                "category": category.language if category else None,
                "community": community.language if community else None,
            }.items()
            if v
        },
    }


class PublicYouSaidWeDid(PublicView):
    cacheable = True

    @extend_schema(
        operation_id="public_you_said_we_did",
        tags=["Public"],
        parameters=[LOCALE_PARAM, *PAGE],
        responses={200: page_of("PublicItemPage", out.PublicItem(many=True)), **ERRORS},
    )
    def get(self, request):
        pages, page = self.paginate(feedback_selectors.you_said_we_did(self.language), request)
        return pages.get_paginated_response([_item(c, self.language) for c in page])
