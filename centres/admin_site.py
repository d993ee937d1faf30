"""The Django admin site of Parchemin: who may use each registered model, and the audit of
every write made through it.

Every ``ModelAdmin`` registered on the site (ours and the libraries': groups, API tokens,
axes, OTP devices) is given :class:`AuditedAdminMixin` at registration, so nothing is left
out by forgetting a mixin:

- **Fail closed.** A model admin is for superusers only unless it says
  ``national_admin_allowed = True`` (the national referential, the register of centres):
  then national administrators (GTP) use it too, within its own permission methods. Users,
  roles, grants, invitations, companies, devices, tokens and the audit trail are therefore
  out of a national administrator's reach (403), whatever model permissions their account
  may carry.
- **Audited.** Every add, change and deletion made in the admin — the main form, each inline
  row, the bulk deletion, a user's password set by an administrator, one's own password —
  writes an audit row with the services' own call (``centres.audit.record``), in the same
  transaction, in the centre the object belongs to (a membership's centre, each centre where
  a user holds a role), or without a centre for national objects. Secrets (password hashes,
  keys, tokens) are never copied into the trail: only the fact that they changed.
"""

from django.contrib import admin
from django.db import transaction

SECRET = "[masqué]"
SECRET_FIELDS = frozenset(
    {"password", "password1", "password2", "key", "token", "token_hash", "secret", "bin_key"}
)


def _json(value):
    from centres.audit import _json_value

    if isinstance(value, str | bytes | dict) or value is None:
        return value if not isinstance(value, bytes) else SECRET
    if hasattr(value, "__iter__"):  # many-to-many: the ids, in order
        return sorted(str(getattr(item, "pk", item)) for item in value)
    return _json_value(value)


def _form_changes(form, change: bool) -> tuple[dict | None, dict]:
    """``before``/``after`` of the fields the admin form changed (secrets masked)."""
    before, after = {}, {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            before[name], after[name] = SECRET, SECRET
            continue
        before[name] = _json(form.initial.get(name))
        after[name] = _json(form.cleaned_data.get(name))
    return (before if change else None), after


def _object_snapshot(obj) -> dict:
    """The concrete fields of ``obj`` (what a deletion takes away), secrets masked."""
    from centres.audit import _json_value

    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            data[field.name] = SECRET
        else:
            data[field.name] = _json_value(getattr(obj, field.attname))
            if isinstance(data[field.name], bytes):
                data[field.name] = SECRET
    return data


def _centres_of(obj) -> list:
    """Where the row goes: the object's centre, a user's centres (each centre where they hold
    a role, as for account events), or no centre (national objects, superusers)."""
    from centres.models import Centre, Membership, User

    if isinstance(obj, Centre):
        return [obj.pk]
    centre_id = getattr(obj, "centre_id", None)
    if centre_id:
        return [centre_id]
    user = obj if isinstance(obj, User) else getattr(obj, "user", None)
    if isinstance(user, User) and user.pk:
        roles = Membership.objects.with_scopes_disabled().filter(user=user)
        centres = sorted(set(roles.values_list("centre_id", flat=True)))
        if centres:
            return centres
    return [None]


def record(request, action: str, obj, *, before=None, after=None) -> None:
    """One audit row per centre the object belongs to (see :func:`_centres_of`)."""
    from centres import audit
    from centres.scoping import scopes_disabled

    with scopes_disabled():
        for centre_id in _centres_of(obj):
            audit.record(
                centre=centre_id,
                actor=request.user,
                action=action,
                subject=obj,
                before=before,
                after=after,
                reason="admin",
            )
    _audited(request).add((obj._meta.label_lower, str(obj.pk)))


def _audited(request) -> set:
    if not hasattr(request, "_parchemin_admin_audited"):
        request._parchemin_admin_audited = set()
    return request._parchemin_admin_audited


def _message_fields(message) -> list[str]:
    fields = []
    for part in message if isinstance(message, list) else []:
        for verb in ("added", "changed"):
            fields.extend((part.get(verb) or {}).get("fields", []))
    return sorted(set(fields))


class AuditedAdminMixin:
    """Given to every model admin of the site (see the module's docstring)."""

    # --- who ---------------------------------------------------------------------------

    def _site_allows(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        return bool(getattr(self, "national_admin_allowed", False) and user.is_national_admin)

    def has_module_permission(self, request):
        return self._site_allows(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._site_allows(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._site_allows(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._site_allows(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._site_allows(request) and super().has_delete_permission(request, obj)

    # --- what was written --------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        before, after = _form_changes(form, change)
        super().save_model(request, obj, form, change)
        record(request, "admin.change" if change else "admin.add", obj, before=before, after=after)

    def save_formset(self, request, form, formset, change):
        deleted = [f.instance for f in getattr(formset, "deleted_forms", []) if f.instance.pk]
        for obj in deleted:  # before the deletion, while the row still has its id
            record(request, "admin.delete", obj, before=_object_snapshot(obj))
        forms = {f.instance.pk: f for f in formset.initial_forms}
        super().save_formset(request, form, formset, change)
        for obj in getattr(formset, "new_objects", []):
            row_form = next((f for f in formset.extra_forms if f.instance is obj), None)
            after = _form_changes(row_form, False)[1] if row_form else _object_snapshot(obj)
            record(request, "admin.add", obj, after=after)
        for obj, _fields in getattr(formset, "changed_objects", []):
            before, after = _form_changes(forms[obj.pk], True)
            record(request, "admin.change", obj, before=before, after=after)

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request, "admin.delete", obj, before=_object_snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(request, "admin.delete", obj, before=_object_snapshot(obj))
            super().delete_queryset(request, queryset)

    # A write the admin made outside save_model (a user's password set by an administrator,
    # a library's own view): audited from the admin's own log call, fields named only.
    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if (obj._meta.label_lower, str(obj.pk)) not in _audited(request):
            record(request, "admin.add", obj, after={"fields": _message_fields(message)})
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if (obj._meta.label_lower, str(obj.pk)) not in _audited(request):
            record(request, "admin.change", obj, after={"fields": _message_fields(message)})
        return entry


def audited(admin_class):
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(admin_class.__name__, (AuditedAdminMixin, admin_class), {})


class ParcheminAdminSite(admin.AdminSite):
    """``admin.site``: every model admin registered on it is audited and fails closed."""

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    def password_change(self, request, extra_context=None):
        with transaction.atomic():
            response = super().password_change(request, extra_context)
            if request.method == "POST" and response.status_code == 302:
                record(request, "admin.password_change", request.user, after={"password": SECRET})
        return response
