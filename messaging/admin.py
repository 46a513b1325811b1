from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message
from .privacy import address_masked, text_addresses_masked

# Outbox rows only superusers may open: the sign-in mails (password reset, "choose your
# password"), flagged `holds_secret`, and anything else staff accounts' own mail is keyed
# under. Their bodies are never shown, not even to a superuser.
STAFF_ONLY_KEY_PREFIX = "auth:"
# Shown in the body's place, and replaced by a display method, never edited.
SHOWN_INSTEAD = {"body": "body_shown", "html_body": "html_body_shown", "last_error": "error_shown"}


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
    # Not the address: a search that finds a row would confirm who is in the outbox.
    search_fields = ["subject", "key"]
    # The address is shown masked: a coordinator checking an outbox needs to know a message
    # went to someone, not who (concern answers go to people who may be anonymous to staff).
    # A failure reason often quotes the address: it is masked too.
    readonly_fields = [
        "recipient",
        *(SHOWN_INSTEAD.get(f.name, f.name) for f in Message._meta.fields if f.name != "address"),
    ]
    # Excluded, not only left out of readonly_fields: a field in neither would be editable.
    exclude = ["address", *SHOWN_INSTEAD]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # A coordinator who could read a reset link could ask for the superuser's and use it.
        return queryset.exclude(Q(holds_secret=True) | Q(key__startswith=STAFF_ONLY_KEY_PREFIX))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("address"))
    def recipient(self, obj):
        return address_masked(obj.address)

    @admin.display(description=_("body"))
    def body_shown(self, obj):
        if obj.holds_secret:
            return _("(not shown: it holds a sign-in link)")
        return obj.body  # escaped (and its lines kept) by the admin

    @admin.display(description=_("HTML body"))
    def html_body_shown(self, obj):
        if obj.holds_secret:
            return _("(not shown: it holds a sign-in link)")
        return obj.html_body  # escaped by the admin: staff read the markup, it never renders

    @admin.display(description=_("last error"))
    def error_shown(self, obj):
        return text_addresses_masked(obj.last_error, address=obj.address)

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        # Masked before it is cut: a cut address would no longer look like one.
        error = text_addresses_masked(obj.last_error, address=obj.address)
        text = (error[:80] + "…") if len(error) > 80 else error
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
