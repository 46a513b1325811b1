from django.contrib import admin

from agencies.models import Agency, Membership
from agencies.selectors import forget_all, several_agencies


class SharedByAllAgenciesAdmin:
    """A mixin for the admin of rows every agency shares (the roles, concern categories,
    topics): with more than one agency, one agency's staff may read them but only the
    deployment's operators (superusers) change them, or one agency would change another's."""

    def _may_change_shared(self, request) -> bool:
        return request.user.is_superuser or not several_agencies()

    def has_add_permission(self, request, *args):
        return self._may_change_shared(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._may_change_shared(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change_shared(request) and super().has_delete_permission(request, obj)


class DeploymentOperatorsOnly:
    """The admin of what the deployment's operators (superusers) alone see and change."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Agency)
class AgencyAdmin(DeploymentOperatorsOnly, admin.ModelAdmin):
    """The deployment's operators (superusers) add agencies here or with `manage.py agency_add`;
    each agency's coordinator edits its own settings on the agency settings page."""

    list_display = ("name", "slug", "domain", "shares_regional_figures")
    search_fields = ("name", "slug", "domain")

    def has_delete_permission(self, request, obj=None):
        return False  # its records are PROTECTed; an agency is never deleted from a page

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_all()  # every application server's cached host look-ups


@admin.register(Membership)
class MembershipAdmin(DeploymentOperatorsOnly, admin.ModelAdmin):
    list_display = ("user", "agency", "regional_analyst")
    list_filter = ("agency", "regional_analyst")
