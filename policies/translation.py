from modeltranslation.translator import TranslationOptions, register

from .models import PolicyVersion


@register(PolicyVersion)
class PolicyVersionTranslation(TranslationOptions):
    # What the public reads, written side by side; an empty language falls back, visibly.
    fields = ("title", "summary", "body")
