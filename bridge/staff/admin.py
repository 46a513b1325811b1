"""Least privilege in the admin: a coordinator manages users and roles, but cannot make anyone
a superuser, hand out a permission it does not hold itself, change its own roles, or set
another person's password (only a superuser does that; everyone else uses the reset e-mail).
Sign-in needs the second factor (django-otp's OTPAdminSite), and locked accounts can be
unlocked here (django-axes)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.admin import SharedByAllAgenciesAdmin
from agencies.selectors import members_only, sign_in_records_of
from audit import events
from audit.services import audit_record

from . import mfa
from .forms import NewAccountPasswordForm

# Every admin page, its log-in included, asks for the second factor.
admin.site.__class__ = OTPAdminSite


def held_permissions(user):
    """The permissions `user` holds itself (directly or through its roles)."""
    if user.is_superuser:
        return Permission.objects.all()
    return Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()


def grantable_groups(user):
    """Roles whose every permission `user` holds: giving one away grants nothing new."""
    if user.is_superuser:
        return Group.objects.all()
    held = held_permissions(user).values("pk")
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=held))


class StaffCreationForm(forms.ModelForm):
    """A new account made by a coordinator: no password is typed by anyone but its owner,
    who chooses one through the reset e-mail sent on save."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if not email:
            raise forms.ValidationError(
                _("Enter an e-mail address: the new person chooses a password from it.")
            )
        return email


class StaffUserAdmin(UserAdmin):
    def _limited(self, request) -> bool:
        return not request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if not self._limited(request):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("username", "first_name", "last_name", "email")}),)
        return (
            (None, {"fields": ("username",)}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Permissions"), {"fields": ("is_active", "is_staff", "groups", "user_permissions")}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and self._limited(request):
            kwargs["form"] = StaffCreationForm
            return admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._limited(request):
            readonly += ["last_login", "date_joined"]
            if obj is not None and obj.pk == request.user.pk:
                # Nobody widens their own access: another coordinator or a superuser must.
                readonly += ["is_active", "is_staff", "groups", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if self._limited(request):
            if db_field.name == "user_permissions":
                kwargs["queryset"] = held_permissions(request.user).select_related("content_type")
            elif db_field.name == "groups":
                kwargs["queryset"] = grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The accounts are deployment-wide: only this agency's are listed or reachable here
        # (another agency's is "not found"); the operators place accounts in agencies on the
        # memberships page.
        qs = members_only(super().get_queryset(request))
        return qs.filter(is_superuser=False) if self._limited(request) else qs

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and self._limited(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_superuser or obj.pk == request.user.pk) and self._limited(request):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if self._limited(request):
            raise PermissionDenied(
                _("Only a superuser sets another person's password; use the reset e-mail.")
            )
        return super().user_change_password(request, id, form_url)

    def save_related(self, request, form, formsets, change):
        # The form offers only what the editor may grant; keep what it could not show, or
        # saving a first name would strip a role the editor does not hold.
        hidden = {}
        if change and self._limited(request):
            user = form.instance
            hidden = {
                "groups": list(user.groups.exclude(pk__in=grantable_groups(request.user))),
                "user_permissions": list(
                    user.user_permissions.exclude(pk__in=held_permissions(request.user))
                ),
            }
        super().save_related(request, form, formsets, change)
        for field, kept in hidden.items():
            getattr(form.instance, field).add(*kept)

    @admin.action(description=_("Reset the second step (they set it up again at their next sign-in)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            mfa.mfa_reset(actor=request.user, user=user, request=request)
        messages.success(request, _("The second step was reset."))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    actions = ["reset_second_factor"]

    def save_model(self, request, obj, form, change):
        creating = obj.pk is None
        if creating and self._limited(request):
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if creating and self._limited(request):
            link = NewAccountPasswordForm(obj)
            if link.is_valid():
                link.save(request=request)
            messages.info(
                request, _("A link to choose a password was sent to %(email)s.") % {"email": obj.email}
            )


class StaffGroupAdmin(SharedByAllAgenciesAdmin, GroupAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions" and not request.user.is_superuser:
            kwargs["queryset"] = held_permissions(request.user).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        kept = []
        if change and not request.user.is_superuser:
            kept = list(form.instance.permissions.exclude(pk__in=held_permissions(request.user)))
        super().save_related(request, form, formsets, change)
        form.instance.permissions.add(*kept)


@admin.action(description=_("Unlock the selected accounts and addresses"), permissions=["unlock"])
def unlock(modeladmin, request, queryset):
    rows = list(queryset.values_list("username", "ip_address"))
    queryset.delete()
    for username, ip_address in rows:
        audit_record(
            event=events.ACCOUNT_UNLOCKED,
            actor=request.user,
            request=request,
            data={"username": username or "", "ip_address": ip_address or ""},
        )
    messages.success(
        request,
        ngettext("%(count)d lock was lifted.", "%(count)d locks were lifted.", len(rows))
        % {"count": len(rows)},
    )


class OwnAgencySignInsAdmin:
    """django-axes' records hold a user name and an address, never an agency: each agency's
    admin shows (and unlocks) those of its own accounts only (agencies.selectors)."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(sign_in_records_of())


class StaffAccessAttemptAdmin(OwnAgencySignInsAdmin, AccessAttemptAdmin):
    """Unlocking (audited) is the one way to remove a lock: no delete button, no bulk delete."""

    actions = [unlock]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_unlock_permission(self, request):
        return request.user.has_perm("axes.delete_accessattempt")


class StaffAccessLogAdmin(OwnAgencySignInsAdmin, AccessLogAdmin):
    pass


class StaffAccessFailureLogAdmin(OwnAgencySignInsAdmin, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (get_user_model(), StaffUserAdmin),
    (Group, StaffGroupAdmin),
    (AccessAttempt, StaffAccessAttemptAdmin),
    (AccessLog, StaffAccessLogAdmin),
    (AccessFailureLog, StaffAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

# django-otp's own device admins show authenticator keys and edit devices unaudited: the
# second step is set up by its owner and reset only through the audited action above.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
