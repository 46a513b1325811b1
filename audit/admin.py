"""Read-only admin for the trail and django-auditlog's diffs: nobody, superusers included,
can add, change or delete an entry here (PostgreSQL refuses it anyway)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from .models import Entry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audit.view_trail")

    def has_module_permission(self, request):
        return request.user.has_perm("audit.view_trail")

    def get_actions(self, request):
        return {}


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "event", "actor_username", "remote_addr", "content_type", "object_repr"]
    list_filter = ["event", "content_type"]
    search_fields = ["actor_username", "object_pk"]
    date_hierarchy = "timestamp"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in Entry._meta.fields]


class ReadOnlyLogEntryAdmin(ReadOnlyAdmin, LogEntryAdmin):
    def get_queryset(self, request):
        # django-auditlog's table has no agency: a diff is this agency's when its mirror on
        # the trail (audit.Entry, agency-owned) is. Row-level security holds the same rule
        # in the database (agencies.rls.install_change_log).
        ids = Entry.objects.filter(log_entry__isnull=False).values("log_entry_id")
        return super().get_queryset(request).filter(pk__in=ids)


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)
