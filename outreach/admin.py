from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit import events
from audit.services import audit_record
from languages.admin import TranslatedContentAdmin
from liaison import roles
from liaison.languages import LANGUAGE_CHOICES
from messaging.privacy import address_masked

from . import services
from .models import CommunityAttendance, EventAttendance, OutreachEvent, Subscriber


class OutreachEventAdminForm(forms.ModelForm):
    interpretation_languages = forms.MultipleChoiceField(
        label=_("interpretation offered"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OutreachEvent
        fields = "__all__"  # noqa: DJ007 - the admin shows every field

    def clean(self):
        data = super().clean()

        def value(name):
            # A translator's form carries only the texts: the rest is the event as it stands.
            return data.get(name) if name in self.fields else getattr(self.instance, name)

        try:
            services.event_validate(
                start=value("start"),
                end=value("end"),
                time_zone=value("time_zone") or "",
                recurrence=value("recurrence") or OutreachEvent.Recurrence.NONE,
                repeat_until=value("repeat_until"),
                interpretation_languages=value("interpretation_languages") or [],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(OutreachEvent)
class OutreachEventAdmin(TranslatedContentAdmin):
    """Each text's translations side by side (languages.admin). Publishing and cancelling go
    through the services (actions below), so subscribers are told exactly once."""

    translator_role = roles.TRANSLATOR
    form = OutreachEventAdminForm
    list_display = ["title", "kind", "start", "venue_name", "status", "change_count"]
    list_filter = ["status", "kind", "communities"]
    search_fields = ["title", "venue_name", "address"]
    date_hierarchy = "start"
    filter_horizontal = ["communities", "partners", "hosts"]
    readonly_fields = [
        "status",
        "change_count",
        "published_at",
        "cancelled_at",
        "notified_at",
        "reminded_for",
        "created_by",
    ]
    actions = ["publish", "cancel", "confirm_translations"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if change and obj.status == OutreachEvent.Status.PUBLISHED and not self.only_translates(request):
            # Through the service: a changed time or place tells the subscribers (and the
            # service marks the translations a changed source leaves stale).
            fields = {
                name: form.cleaned_data[name] for name in form.changed_data if name in services.EVENT_FIELDS
            }
            services.event_update(actor=request.user, event=obj, **fields)
            return
        # A draft, or a translator's texts (nothing a subscriber is told about): saved here.
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.only_translates(request):
            actions.pop("publish", None)
            actions.pop("cancel", None)
        return actions

    @admin.action(description=_("Publish and notify subscribers"), permissions=["change"])
    def publish(self, request, queryset):
        total = 0
        for event in queryset:
            try:
                total += services.event_publish(actor=request.user, event=event)
            except ValidationError as exc:
                self.message_user(request, f"{event}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("%(count)d notices queued.") % {"count": total}, messages.SUCCESS)

    @admin.action(description=_("Cancel and notify subscribers"), permissions=["change"])
    def cancel(self, request, queryset):
        total = sum(services.event_cancel(actor=request.user, event=event) for event in queryset)
        self.message_user(request, _("%(count)d notices queued.") % {"count": total}, messages.SUCCESS)


class CommunityAttendanceInline(admin.TabularInline):
    model = CommunityAttendance
    extra = 0


@admin.register(EventAttendance)
class EventAttendanceAdmin(admin.ModelAdmin):
    list_display = ["event", "date", "total", "recorded_by", "recorded_at"]
    list_select_related = ["event", "recorded_by"]
    inlines = [CommunityAttendanceInline]
    readonly_fields = ["contacts", "recorded_by"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """The list shows addresses masked; opening one subscriber (to answer their request to be
    removed, say) shows the address and records that in the audit trail."""

    list_display = [
        "masked_address",
        "channel",
        "language",
        "confirmed_at",
        "sms_stopped_at",
        "consent_at",
        "consent_version",
    ]
    list_filter = ["channel", "language", "confirmed_at", "sms_stopped_at", "communities"]
    search_fields = ["email", "phone"]
    readonly_fields = [
        "channel",
        "email",
        "phone",
        "confirmed_at",
        "sms_stopped_at",  # set and cleared only by the person's own STOP and START texts
        "consent_at",
        "consent_method",
        "consent_version",
        "consent_text",
        "created_at",
    ]
    filter_horizontal = ["communities"]

    def has_add_permission(self, request):
        return False  # only people themselves sign up (double opt-in)

    @admin.display(description=_("address"))
    def masked_address(self, obj):
        return address_masked(obj.address)

    def save_model(self, request, obj, form, change):
        # Subscribers are not followed by django-auditlog (people write them themselves); a
        # coordinator's edit is recorded by field name, never the address.
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            audit_record(
                event=events.RECORD_UPDATED,
                target=obj,
                request=request,
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request, obj):
        audit_record(event=events.RECORD_DELETED, target=obj, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            audit_record(event=events.RECORD_DELETED, target=subscriber, request=request)
        super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        subscriber = self.get_object(request, object_id)
        if subscriber is not None and request.method == "GET" and response.status_code == 200:
            audit_record(event=events.SUBSCRIBER_DETAILS_VIEWED, target=subscriber, request=request)
        return response
