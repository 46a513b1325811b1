"""Translators review the UI catalogues (locale/<locale>/LC_MESSAGES/django.po) in the browser,
with django-rosetta, under /<lang>/staff/translations/.

Who: superusers and the Translator role (of the hosting agency, when there are several), as members of staff (is_staff, as for the admin)
signed in with the second factor. The sign-in and second-factor middleware guard the pages like
any staff page; `translator_required` then refuses everyone else with a 403 (Rosetta's own test
would send them back to the sign-in page they have just passed).

What a save does: an entry a machine helped write carries a '# machine-assisted' translator
comment until a person reviews it (tools/po_fill.py). Saving a changed entry that is not left
fuzzy is that review, so the mark goes; and every changed entry is recorded in the audit trail.
"""

import functools
import os

import polib
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern
from rosetta import urls as rosetta_urls

from agencies import context
from agencies.selectors import members_only, several_agencies
from audit import events
from audit.services import audit_record
from liaison import roles

MACHINE_ASSISTED = "machine-assisted"  # how tools/po_fill.py starts its translator comment


def is_translator(user) -> bool:
    """ROSETTA_ACCESS_CONTROL_FUNCTION, and the test the staff menu shows its link with."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    is_verified = getattr(user, "is_verified", None)  # set on request.user by django-otp
    if is_verified is None or not is_verified():
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_bridge_is_translator"):  # once a request: the menu asks on every page
        translator = user.groups.filter(name=roles.TRANSLATOR).exists()
        if translator and several_agencies():
            # The catalogues are the deployment's, shown by every agency: only the hosting
            # (default) agency's translators change them.
            accounts = get_user_model().objects.filter(pk=user.pk)
            translator = members_only(accounts, context.default_agency_id()).exists()
        user._bridge_is_translator = translator
    return user._bridge_is_translator


def translator_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_translator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def urlpatterns() -> list[URLPattern]:
    """django-rosetta's pages, each behind translator_required (bridge/urls.py includes them)."""
    return [
        URLPattern(p.pattern, translator_required(p.callback), p.default_args, p.name)
        for p in rosetta_urls.urlpatterns
    ]


# --- A saved entry -------------------------------------------------------------------------


def _state(entry) -> tuple:
    return (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags)


@functools.lru_cache(maxsize=4)
def _plurals_on_disk(path: str, mtime_ns: int) -> dict:
    return {(e.msgctxt, e.msgid): dict(e.msgstr_plural) for e in polib.pofile(path) if e.msgid_plural}


def _state_before(entry, old_msgstr: str, old_fuzzy: bool, path: str) -> tuple:
    """The entry as it was before this save. Rosetta signals a plural entry for each of its
    forms on every save, changed or not, and passes no old forms: those are read from the
    catalogue on disk, which Rosetta writes only after every entry of the page is handled."""
    seen = getattr(entry, "_bridge_state", None)  # signalled already, for an earlier form
    if seen is not None:
        return seen
    if not entry.msgid_plural:
        return (old_msgstr, {}, old_fuzzy)
    try:
        plurals = _plurals_on_disk(path, os.stat(path).st_mtime_ns).get((entry.msgctxt, entry.msgid), {})
    except OSError:
        plurals = {}
    return (entry.msgstr, plurals, old_fuzzy)


def remove_machine_mark(entry) -> bool:
    """Drop the '# machine-assisted' lines of the translator comment; True if there were any."""
    lines = (entry.tcomment or "").splitlines()
    kept = [line for line in lines if not line.startswith(MACHINE_ASSISTED)]
    entry.tcomment = "\n".join(kept)
    return len(kept) != len(lines)


def entry_reviewed(sender, *, user, old_msgstr, old_fuzzy, pofile, language_code, **kwargs):
    """rosetta.signals.entry_changed: sent for each changed entry before the file is written,
    so what this changes on the entry is saved with it."""
    entry = sender
    before = _state_before(entry, old_msgstr, old_fuzzy, pofile)
    now = _state(entry)
    entry._bridge_state = now
    if now == before:
        return
    reviewed = False
    if "fuzzy" not in entry.flags:
        reviewed = remove_machine_mark(entry)
        # The "#| msgid" of a fuzzy entry shows what changed; reviewed, it says nothing more.
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    audit_record(
        event=events.TRANSLATION_CHANGED,
        actor=user,
        data={
            "language": language_code,
            "msgid": entry.msgid[:200],
            "msgctxt": entry.msgctxt or "",
            "fuzzy": "fuzzy" in entry.flags,
            "machine_assisted_mark_removed": reviewed,
        },
    )
