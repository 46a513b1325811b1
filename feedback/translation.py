from modeltranslation.translator import TranslationOptions, register

from .models import Concern, ConcernCategory


@register(ConcernCategory)
class ConcernCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Concern)
class ConcernTranslation(TranslationOptions):
    # What the public reads: the answer to the submitter and the anonymised summary.
    fields = ("public_response", "public_summary")
