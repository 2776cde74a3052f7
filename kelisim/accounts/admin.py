"""Django admin for accounts. Roles change only on the users page (with a reason); history is read-only."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kelisim.accounts import services
from kelisim.accounts.models import ApiToken, RoleGrant, User


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "preferred_language", "is_active", "is_superuser", "date_joined")
    list_filter = ("is_active", "is_superuser", "preferred_language")
    search_fields = ("email", "display_name")
    # Staff and superuser flags follow the administrator role; they change with the role, not here.
    readonly_fields = ("platform_roles", "is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language")}),
        (_("Status"), {"fields": ("is_active", "platform_roles", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    filter_horizontal = ()

    @admin.display(description=_("Roles"))
    def platform_roles(self, obj):
        if obj.pk is None:
            return "—"
        labels = ", ".join(str(grant.get_role_display()) for grant in obj.role_grants.all()) or _("Citizen")
        return format_html(
            '{} (<a href="{}">{}</a>)', labels, reverse("accounts:user_roles", args=[obj.pk]), _("change with a reason")
        )

    def get_deleted_objects(self, objs, request):
        """Related rows (role grants, memberships...) go with the account by the service's rules, not
        by per-model admin permissions: role grants, for one, are never deletable on their own."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if request.user.is_administrator:
            perms_needed = set()
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        """Through the service, so every app erases its data and the last administrator stays."""
        try:
            services.delete_account(actor=request.user, user=obj)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "granted_by", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "granted_by")
    readonly_fields = ("user", "role", "granted_by", "granted_at")

    # Grants and revocations need a reason and go through services (the users page); history is never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "token_prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "token_prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "token_prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields  # the hash is never shown; tokens are made by their owners only
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_selected(self, request, queryset):
        count = services.revoke_api_tokens_as_administrator(actor=request.user, tokens=queryset)
        self.message_user(
            request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        )
