from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agencies.admin import SharedByAllAgenciesAdmin
from agencies.selectors import members_only
from languages.admin import TranslatedContentAdmin

from . import roles
from .languages import LANGUAGE_CHOICES
from .models import (
    Assignment,
    Contact,
    LanguageSkill,
    Liaison,
    Partner,
    PriorityCommunity,
    QuarterlyTarget,
    Topic,
)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["community"]


class LanguageSkillInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0


def languages_field():
    # A JSON list of ISO codes, edited as a list of language names rather than raw JSON.
    return forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        label=_("languages"),
        widget=FilteredSelectMultiple(_("languages"), is_stacked=False),
    )


class PriorityCommunityForm(forms.ModelForm):
    languages = languages_field()

    class Meta:
        model = PriorityCommunity
        fields = "__all__"  # noqa: DJ007 - an admin form: the admin decides the fields shown


class PartnerForm(forms.ModelForm):
    languages = languages_field()
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = "__all__"  # noqa: DJ007 - an admin form: the admin decides the fields shown


@admin.register(PriorityCommunity)
class PriorityCommunityAdmin(TranslatedContentAdmin):
    translator_role = roles.TRANSLATOR
    form = PriorityCommunityForm
    list_display = [
        "name",
        "priority_level",
        "estimated_population",
        "population_source",
        "population_year",
        "active_from",
        "active_until",
    ]
    list_filter = ["priority_level", "active_until"]
    search_fields = ["name", "neighbourhoods", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Liaison)
class LiaisonAdmin(TranslatedContentAdmin):
    translator_role = roles.TRANSLATOR
    list_display = ["display_name", "badge_number", "kind", "unit", "public_phone", "is_active"]
    list_filter = ["is_active", "kind", "unit"]
    search_fields = ["user__first_name", "user__last_name", "badge_number", "unit"]
    autocomplete_fields = ["user"]
    inlines = [LanguageSkillInline, AssignmentInline]
    list_select_related = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The accounts are deployment-wide: the search lists the agency's own (StaffUserAdmin),
        # and the form accepts only those, whatever id is posted.
        if db_field.name == "user":
            kwargs["queryset"] = members_only(db_field.remote_field.model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "kind", "meets", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active", "communities"]
    search_fields = ["name", "contact_person", "notes"]
    filter_horizontal = ["communities"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "communities", "languages", "is_active"]}),
        (_("Contact"), {"fields": ["contact_person", "phone", "email", "address", "website", "notes"]}),
        (
            _("Regular meeting"),
            {
                "fields": ["meeting_week", "meeting_weekday", "meeting_time", "meeting_place"],
                "description": _(
                    "Councils and associations that meet on a schedule: liaisons see the meeting on "
                    "their contact log that day and log their attendance in a tap."
                ),
            },
        ),
    ]

    @admin.display(description=_("meets"))
    def meets(self, obj):
        return obj.meeting_summary()


@admin.register(Topic)
class TopicAdmin(SharedByAllAgenciesAdmin, TranslatedContentAdmin):
    translator_role = roles.TRANSLATOR
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "liaison",
        "kind",
        "people_reached",
        "language",
        "interpreter_used",
        "follow_up_due",
    ]
    list_filter = ["kind", "language", "interpreter_used", "communities", "date"]
    search_fields = ["notes", "liaison__user__last_name", "partner__name"]
    # A million contacts: no second COUNT(*) of the whole table on every page, and no date
    # hierarchy (it scans the table for its years); the date filter does the same job.
    show_full_result_count = False
    autocomplete_fields = ["liaison", "partner"]
    filter_horizontal = ["communities", "topics"]
    list_select_related = ["liaison__user"]

    def get_search_results(self, request, queryset, search_term):
        """The same three fields as search_fields, said so that PostgreSQL can use an index
        for each (a million contacts): the liaisons and partners that match are looked up
        first in their small tables, and the notes through a trigram index (migration 0008),
        so the search never joins and scans every contact."""
        term = search_term.strip()
        if not term:
            return queryset, False
        liaisons = list(
            Liaison.objects.filter(user__last_name__icontains=term).values_list("pk", flat=True)[:1000]
        )
        partners = list(Partner.objects.filter(name__icontains=term).values_list("pk", flat=True)[:1000])
        found = Q(notes__icontains=term) | Q(liaison_id__in=liaisons) | Q(partner_id__in=partners)
        return queryset.filter(found), False

    def get_ordering(self, request):
        """While searching, the newest first by a expression no index serves: PostgreSQL then
        sorts the (few) matches instead of walking the date index until it meets a hundred,
        which for a liaison with a few hundred old contacts means most of a million rows."""
        if request.GET.get("q", "").strip():
            return [Coalesce("date", "date").desc(), "-id"]
        return super().get_ordering(request)

    # The contact is locked before its communities change, as the liaison services do: the
    # contact, then its links (the order dashboard/rollup.py relies on, so no deadlock).
    def save_model(self, request, obj, form, change):
        if change:
            list(Contact.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        list(Contact.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        list(
            Contact.objects.select_for_update()
            .filter(pk__in=queryset.values("pk"))
            .order_by("pk")
            .values_list("pk")
        )
        super().delete_queryset(request, queryset)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["liaison", "community", "starts_on", "ends_on"]
    list_filter = ["community", "ends_on"]
    search_fields = ["liaison__user__last_name", "community__name"]
    autocomplete_fields = ["liaison", "community"]
    list_select_related = ["liaison__user", "community"]


@admin.register(QuarterlyTarget)
class QuarterlyTargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contacts"]
    autocomplete_fields = ["liaison"]
