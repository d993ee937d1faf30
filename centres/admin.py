"""Django admin of the tenancy: users, roles, companies, invitations and the audit trail
read-only, for **superusers only**; the register of centres, for national administrators
(GTP) too.

A national administrator is not a superuser: handing out roles, resetting passwords or
reading what a centre owns would let them escalate (a ``centre_admin`` role for themselves
opens health data), so those admins are the superuser's (``centres.admin_site`` enforces it for
every model admin that does not say ``national_admin_allowed``, and audits every write).

Tenant-owned models are read with their scopes disabled *explicitly* here: the admin is a
national tool, outside any one centre. Candidate data is never registered.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from centres.models import AuditEntry, Centre, Company, Invitation, Membership, User
from centres.permissions import revoke_unheld_object_permissions


def _is_national(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.is_national_admin))


def _is_superuser(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


class SuperuserOnlyMixin:
    """Superusers manage these models without model-permission rows; nobody else sees them."""

    def has_module_permission(self, request):
        return _is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_add_permission(self, request, *args):
        return _is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return _is_superuser(request)


class UnscopedAdminMixin(SuperuserOnlyMixin):
    """Querysets and foreign-key choices built with the centre scope disabled."""

    def get_queryset(self, request):
        qs = self.model._default_manager.with_scopes_disabled().get_queryset()
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.remote_field.model._default_manager
        if hasattr(manager, "with_scopes_disabled"):
            kwargs["queryset"] = manager.with_scopes_disabled().get_queryset()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnscopedInlineFormSet(BaseInlineFormSet):
    """The rows' hidden ``id`` field checked against every centre's rows: the request runs
    in an empty centre scope, where the scoped manager would find none of them (and the
    formset would refuse to save)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields and hasattr(form.fields[pk_name], "queryset"):
            manager = self.model._default_manager
            form.fields[pk_name].queryset = manager.with_scopes_disabled().get_queryset()


class MembershipInline(UnscopedAdminMixin, admin.TabularInline):
    model = Membership
    formset = UnscopedInlineFormSet
    fk_name = "user"
    extra = 0
    fields = ("centre", "role", "company", "handles_accommodations", "is_active")


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "email", "is_active", "is_national_admin")
    list_filter = ("is_active", "is_national_admin", "is_staff")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Parchemin"), {"fields": ("is_national_admin",)}),
    )
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The account disabled, or roles withdrawn, changed or deleted in the inline: the
        # object permissions those roles carried go (same transaction as the change).
        revoke_unheld_object_permissions(form.instance, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        # The new password and its audit row (admin_site: log_change) in one transaction.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


# A centre's own settings, set by its administrator (« Réglages du centre »).
CENTRE_SETTINGS = (
    "jury_quorum",
    "commission_min_assessors",
    "retention_active_months",
    "retention_archive_months",
)


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    """The national register of centres: national administrators add a centre and keep its
    identity up to date; its settings are the centre's (read-only for them)."""

    national_admin_allowed = True
    list_display = ("name", "region", "city", "jury_quorum", "commission_min_assessors")
    search_fields = ("name", "city", "region")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("version", "created_at")
        return ("version", "created_at", *CENTRE_SETTINGS)

    def has_module_permission(self, request):
        return _is_national(request)

    def has_view_permission(self, request, obj=None):
        return _is_national(request)

    def has_add_permission(self, request):
        return _is_national(request)

    def has_change_permission(self, request, obj=None):
        return _is_national(request)

    def has_delete_permission(self, request, obj=None):
        return _is_superuser(request)


@admin.register(Company)
class CompanyAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "siret", "city", "centre")
    list_filter = ("centre",)
    search_fields = ("name", "siret", "city")
    readonly_fields = ("version", "created_at")


@admin.register(Membership)
class MembershipAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "centre", "role", "company", "is_active")
    list_filter = ("centre", "role", "is_active")
    search_fields = ("user__username", "user__last_name", "user__email")
    list_select_related = ("user", "centre", "company")
    raw_id_fields = ("user",)

    # A role withdrawn, changed, moved or deleted here takes the object permissions it
    # carried with it, as ``centres.services.deactivate_membership`` does.
    def save_model(self, request, obj, form, change):
        previous_user = None
        if change:
            previous_user = Membership.objects.with_scopes_disabled().filter(pk=obj.pk)
            previous_user = previous_user.values_list("user_id", flat=True).first()
        super().save_model(request, obj, form, change)
        revoke_unheld_object_permissions(obj.user, actor=request.user)
        if previous_user not in (None, obj.user_id):
            revoke_unheld_object_permissions(User.objects.get(pk=previous_user), actor=request.user)

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            revoke_unheld_object_permissions(obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            users = list(User.objects.filter(pk__in=queryset.values("user_id")))
            super().delete_queryset(request, queryset)
            for user in users:
                revoke_unheld_object_permissions(user, actor=request.user)


@admin.register(Invitation)
class InvitationAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ("email", "centre", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("centre", "role")
    search_fields = ("email",)
    exclude = ("token_hash",)

    def has_add_permission(self, request, *args):
        return False  # invitations are sent from the centre's pages (one-time token by mail)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "centre", "actor", "action", "subject_type", "subject_id")
    list_filter = ("action", "centre")
    search_fields = ("action", "subject_type", "subject_id")

    # The trail may quote candidate data: superusers only, never national administrators.
    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
