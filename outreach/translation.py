from modeltranslation.translator import TranslationOptions, register

from .models import OutreachEvent, SafetyAlert


@register(OutreachEvent)
class OutreachEventTranslation(TranslationOptions):
    # What the public reads. A language left empty falls back to the deployment's default
    # (MODELTRANSLATION_FALLBACK_LANGUAGES), whose title the event form requires.
    fields = ("title", "description", "venue_directions")


@register(SafetyAlert)
class SafetyAlertTranslation(TranslationOptions):
    # Written side by side by the liaison; a language left empty falls back, visibly.
    fields = ("title", "body", "advice")
