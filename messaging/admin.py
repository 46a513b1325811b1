from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message
from .privacy import address_masked


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient",
        "language",
        "subject",
        "status",
        "attempts",
        "short_error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "language"]
    search_fields = ["address", "subject", "key"]
    # The address is shown masked: a coordinator checking an outbox needs to know a message
    # went to someone, not who (concern answers go to people who may be anonymous to staff).
    readonly_fields = ["recipient", *(f.name for f in Message._meta.fields if f.name != "address")]
    exclude = ["address"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("address"))
    def recipient(self, obj):
        return address_masked(obj.address)

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        text = (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error
        if obj.status == Message.Status.UNCONFIRMED:
            # The stored reason is the technical one; say first what staff should do.
            return _("May have been delivered: check with the recipient before sending again. %(reason)s") % {
                "reason": text
            }
        return text

    @admin.action(
        description=_("Send the selected failed or unconfirmed messages again"), permissions=["change"]
    )
    def send_again(self, request, queryset):
        count = services.message_retry(message_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
