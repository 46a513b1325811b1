from modeltranslation.translator import TranslationOptions, register

from .models import OutreachEvent


@register(OutreachEvent)
class OutreachEventTranslation(TranslationOptions):
    # What the public reads. A language left empty falls back to the deployment's default
    # (MODELTRANSLATION_FALLBACK_LANGUAGES), whose title the event form requires.
    fields = ("title", "description", "venue_directions")
