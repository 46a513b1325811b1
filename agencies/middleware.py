"""The agency of a request, from its host name, for everything after it: the tenant manager,
the database's row-level security, the templates (request.agency), the agency's languages and
time zone. A member of staff of another agency is not signed in here."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from agencies import conf, context, rls
from agencies.receivers import SESSION_KEY
from agencies.selectors import agency_for_host, agency_of

# Answers that read no agency's records and must not need the database to be reached: the
# health check (it reports the database itself) and the API's schema, the same for every agency.
EXEMPT = ("/healthz", "/api/schema/")


class AgencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Import every view (and so every form) now, while no agency is set: a queryset made
        # when a module is imported must not take the agency of the request that imported it.
        from django.urls import get_resolver  # noqa: PLC0415 - the URLconf imports the apps

        get_resolver().url_patterns  # noqa: B018 - read for its side effect: the imports

    def __call__(self, request):
        if request.path_info.startswith(EXEMPT):
            request.agency = None
            return self.get_response(request)
        try:
            host = request.get_host()
        except Exception:  # noqa: BLE001 - DisallowedHost: CommonMiddleware answers it with a 400
            host = ""
        agency = agency_for_host(host)
        request.agency = agency
        token = context.activate(agency)
        bound = rls.enter(agency.pk)
        try:
            if agency.time_zone:
                timezone.activate(agency.time_zone)
            response = self.get_response(request)
            if response.streaming and not getattr(response, "is_async", False):
                # A streamed export reads its rows after this returns, when the thread may serve
                # another request: still as this agency, in this request's language and time zone.
                response.streaming_content = _as_agency(
                    response.streaming_content,
                    agency,
                    translation.get_language(),
                    timezone.get_current_timezone(),
                )
            return response
        finally:
            timezone.deactivate()
            if bound:
                rls.leave()
            context.deactivate(token)


def _as_agency(chunks, agency, language, zone):
    token = context.activate(agency)
    bound = rls.enter(agency.pk)
    try:
        with translation.override(language), timezone.override(zone):
            yield from chunks
    finally:
        if bound:
            rls.leave()
        try:
            context.deactivate(token)
        except ValueError:  # finished in another context (a server's thread pool): nothing to undo
            pass


class AgencyStaffMiddleware:
    """After AuthenticationMiddleware: an account of agency A is anonymous on agency B's host
    (its session, made there, says nothing here), so B's pages ask it to sign in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        agency = getattr(request, "agency", None)
        if agency is not None and user is not None and user.is_authenticated:
            session = request.session
            if SESSION_KEY not in session:  # signed in before agencies existed
                session[SESSION_KEY] = agency_of(user)
            if session[SESSION_KEY] != agency.pk:
                request.user = AnonymousUser()
        return self.get_response(request)


class AgencyLanguageMiddleware:
    """After LocaleMiddleware: a page is shown only in a language the agency offers. An address
    in another language is sent (302) to the same page in the agency's default language; an
    address without one (the root) goes to the visitor's first offered language (cookie, then
    Accept-Language), else the agency's default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agency = getattr(request, "agency", None)
        if agency is None:
            return self.get_response(request)
        offered = conf.languages(agency=agency)
        in_path = translation.get_language_from_path(request.path_info)
        if in_path and in_path not in offered:
            if request.method not in ("GET", "HEAD"):
                return self.get_response(request)  # a form posted to such an address is answered as is
            default = conf.default_language(agency=agency)
            prefix = f"/{in_path}/"
            path = request.path_info
            target = f"{request.META.get('SCRIPT_NAME', '')}/{default}/{path[len(prefix) :]}"
            query = request.META.get("QUERY_STRING", "")
            return HttpResponseRedirect(f"{target}?{query}" if query else target)
        if not in_path and translation.get_language() not in offered:
            chosen = _negotiate(request, offered) or conf.default_language(agency=agency)
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def _negotiate(request, offered: list[str]) -> str | None:
    """The visitor's first choice among the offered languages: their cookie, then their
    browser's list, in its order of preference."""
    wanted = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""]
    wanted += [code for code, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))]
    for code in wanted:
        if not code or code == "*":
            continue
        try:
            supported = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if supported in offered:
            return supported
    return None
