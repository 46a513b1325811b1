"""Demo policy pages for a first look: version 1 of each of the five kinds, in every declared
language. The texts are the home page's own promise and expectations, which every catalogue
translates, rendered in each language; a sentence a catalogue lacks leaves that language's
column empty (its readers see the marked fallback), never English under another language's
name. Idempotent: a page that exists (by address or kind) is left alone."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _noop

from . import services
from .models import Policy

PAGES = [
    # kind, address, title (the kind's own name), summary sentences, further body sentences
    (
        Policy.Kind.CONFIDENTIALITY,
        "confidentiality",
        _noop("Confidentiality policy"),
        [
            _noop("We never ask about immigration status."),
            _noop("Bridge has no place to record it, and our officers do not ask."),
            _noop("You do not have to give your name to tell us about a concern."),
        ],
        [
            _noop(
                "If you leave an e-mail or phone number, we use it only to answer you, and we delete it after your "
                "concern is closed."
            ),
            _noop("You can report a crime or a problem without giving your name."),
        ],
    ),
    (
        Policy.Kind.WHAT_TO_EXPECT,
        "what-to-expect",
        _noop("What to expect from police"),
        [
            _noop("Officers help everyone who is a victim of a crime or who needs help, whoever they are."),
            _noop("You can ask for an interpreter. It is free."),
        ],
        [
            _noop("You can report a crime or a problem without giving your name."),
            _noop("You can ask for the officer's name and badge number."),
            _noop(
                "You can tell us when something went wrong. We will look into it and tell you what we did."
            ),
        ],
    ),
    (
        Policy.Kind.UNBIASED_POLICING,
        "unbiased-policing",
        _noop("Unbiased-policing policy"),
        [
            _noop("Officers help everyone who is a victim of a crime or who needs help, whoever they are."),
            _noop("We never ask about immigration status."),
        ],
        [
            _noop("You can ask for the officer's name and badge number."),
            _noop(
                "You can tell us when something went wrong. We will look into it and tell you what we did."
            ),
        ],
    ),
    (
        Policy.Kind.COMPLAINTS,
        "complaints",
        _noop("How to file a complaint"),
        [_noop("You can tell us when something went wrong. We will look into it and tell you what we did.")],
        [
            _noop("You do not have to give your name to tell us about a concern."),
            _noop(
                "You get a tracking code. Keep it: with it you can follow your concern without giving your name."
            ),
            _noop("You can ask for the officer's name and badge number."),
        ],
    ),
    (
        Policy.Kind.LANGUAGE_ACCESS,
        "language-access",
        _noop("Language access rights"),
        [_noop("You can ask for an interpreter. It is free.")],
        [
            _noop(
                "Meet the police officers who work with your community. Everyone is welcome. Interpretation is free. "
                "We never ask about immigration status."
            ),
        ],
    ),
]


def _rendered(code: str, sentences: list[str], joiner: str) -> str:
    """The sentences in language `code`, or "" when its catalogue lacks one of them."""
    with translation.override(code):
        texts = [gettext(s) for s in sentences]
    if code != settings.LANGUAGE_CODE and any(t == s for t, s in zip(texts, sentences, strict=True)):
        return ""
    return joiner.join(texts)


@transaction.atomic
def seed(*, users: dict) -> int:
    """The five pages; returns how many it created."""
    actor = users["coordinator"]
    today = timezone.localdate()
    created = 0
    for position, (kind, slug, title, summary, more) in enumerate(PAGES, start=1):
        if Policy.objects.filter(slug=slug).exists() or Policy.objects.filter(kind=kind).exists():
            continue
        codes = [code for code, _name in settings.LANGUAGES]
        services.policy_create(
            actor=actor,
            kind=kind,
            slug=slug,
            position=position,
            title={code: _rendered(code, [title], "") for code in codes},
            summary={code: _rendered(code, summary, " ") for code in codes},
            body={code: _rendered(code, summary + more, "\n\n") for code in codes},
            effective_on=today,
        )
        created += 1
    return created
