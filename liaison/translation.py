from modeltranslation.translator import TranslationOptions, register

from .models import Liaison, PriorityCommunity, Topic


@register(PriorityCommunity)
class PriorityCommunityTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Liaison)
class LiaisonTranslation(TranslationOptions):
    fields = ("bio",)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
