"""Which language an API call answers in: `locale` (BCP 47, in the query or the body), else
Accept-Language, else the deployment's default. Open311 has no way to ask for a language;
this is Bridge's extension, documented at /api/docs/."""

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

from languages import registry

# Tags a client may send for a declared language that its base tag alone would not find.
ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "pt": "pt-br", "prs": "fa"}


def match(tag: str | None) -> str | None:
    """The declared language a BCP 47 tag asks for ("so", "ar-EG", "zh-Hans-CN", "pt_BR"), or None."""
    tag = (tag or "").strip().replace("_", "-").lower()[:35]
    if not tag:
        return None
    parts = tag.split("-")
    for n in range(len(parts), 0, -1):
        candidate = "-".join(parts[:n])
        if candidate in registry.BY_CODE:
            return candidate
        if candidate in ALIASES:
            return ALIASES[candidate]
    return None


def requested(request) -> str:
    query = getattr(request, "query_params", None) or request.GET
    for tag in (query.get("locale"), request.POST.get("locale") if request.method == "POST" else None):
        code = match(tag)
        if code:
            return code
    for tag, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:400]):
        code = match(tag)
        if code:
            return code
    return settings.LANGUAGE_CODE


def bcp47(code: str | None) -> str | None:
    """Django's code as a BCP 47 tag: zh-hans -> zh-Hans, pt-br -> pt-BR."""
    if not code:
        return None
    lang, _, region = code.partition("-")
    if not region:
        return lang
    return f"{lang}-{region.title() if len(region) == 4 else region.upper()}"
