from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from agencies.admin import SharedByAllAgenciesAdmin
from audit import events
from audit.services import audit_record
from languages.admin import TranslatedContentAdmin
from liaison import roles

from .models import Concern, ConcernCategory, InternalNote, StatusChange


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(SharedByAllAgenciesAdmin, TranslatedContentAdmin):
    translator_role = roles.TRANSLATOR
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "actor", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class InternalNoteInline(admin.TabularInline):
    model = InternalNote
    extra = 0
    readonly_fields = ["author", "text", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(TabbedTranslationAdmin):
    """For coordinators fixing a translation or a category; triage happens on the queue page,
    where the service records history and notifies the submitter."""

    list_display = ["code_display", "category", "status", "language", "community", "assignee", "created_at"]
    list_filter = ["status", "category", "language", "published", "community"]
    search_fields = ["code"]
    list_select_related = ["category", "community", "assignee__user"]
    readonly_fields = [
        "code",
        "text",
        "contact_method",
        "language",
        "status",
        "not_actionable_reason",
        "created_at",
        "updated_at",
        "closed_at",
        "contact_purged_at",
        "text_purged_at",
        "published",
        "published_at",
    ]
    # Never the e-mail or phone: they are shown only on the concern page, where each showing
    # is checked against need to know and recorded in the audit trail.
    exclude = ["assignee", "email", "phone"]
    inlines = [StatusChangeInline, InternalNoteInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Concerns are not followed by django-auditlog (the public writes them, and a diff would
        # keep an anonymous submitter's address); a coordinator's edit here is recorded by name
        # of field, never by value.
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            audit_record(
                event=events.RECORD_UPDATED,
                target=obj,
                request=request,
                data={"fields": sorted(form.changed_data)},
            )
