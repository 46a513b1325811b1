"""Says once per page, in the reader's language, that some of its content is not yet
translated: whatever shows a fallback (languages.content.note_fallback: the {% localized %}
tags, the choice fields of languages.forms) records it while the page is drawn, and
base.html holds the place for the note."""

from django.template.loader import render_to_string

from . import content

MARKER = b"<!--bridge:fallback-note-->"


class FallbackNoteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = content.page_fallbacks_start()
        try:
            response = self.get_response(request)
        finally:
            shown = content.page_fallbacks_end(token)
        if response.streaming or MARKER not in getattr(response, "content", b""):
            return response
        note = render_to_string("languages/_fallback_note.html", request=request).encode() if shown else b""
        response.content = response.content.replace(MARKER, note, 1)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
