"""Django admin of the national referential, for national administrators (GTP) only.

A draft version is edited here (blocs, competences, then each competence's conditions,
criteria, results and knowledge); published and archived versions are shown read-only. The
life cycle (publish, start a new draft, archive) goes through ``cqpm.services`` via actions
that ask for a confirmation first.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from cqpm import services
from cqpm.models import (
    Bloc,
    Competence,
    Condition,
    Criterion,
    EvaluationModality,
    ExpectedResult,
    Knowledge,
    Qualification,
    ReferentialVersion,
)
from cqpm.selectors import is_national_admin


class NationalAdminOnly:
    """Only national administrators (and superusers) see or change the referential."""

    national_admin_allowed = True  # centres.admin_site: the rest of the admin is superusers'

    def has_module_permission(self, request):
        return is_national_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_add_permission(self, request, *args):
        return is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user)


def _version_of(obj) -> ReferentialVersion | None:
    if obj is None:
        return None
    if isinstance(obj, ReferentialVersion):
        return obj
    return obj.version


class DraftOnlyInline(NationalAdminOnly, admin.TabularInline):
    """An inline editable only while the parent version is a draft (read-only afterwards)."""

    extra = 0

    def _editable(self, request, obj) -> bool:
        version = _version_of(obj)
        return is_national_admin(request.user) and (version is None or version.is_editable)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


class VersionInline(NationalAdminOnly, admin.TabularInline):
    model = ReferentialVersion
    fields = ["link", "status", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("versions (créées par chargement ou « nouveau brouillon »)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("version"))
    def link(self, version):
        url = reverse("admin:cqpm_referentialversion_change", args=[version.pk])
        return format_html('<a href="{}">v{}</a>', url, version.number)


@admin.register(Qualification)
class QualificationAdmin(NationalAdminOnly, admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "code_display",
        "rncp_code_display",
        "level",
        "rncp_registered",
    ]
    search_fields = ["title", "slug", "code", "rncp_code"]
    list_filter = ["rncp_registered"]
    inlines = [VersionInline]
    fieldsets = [
        (None, {"fields": ["slug", "title", "certifier", "description"]}),
        (
            _("Codes officiels (« à renseigner » tant qu'ils sont vides)"),
            {
                "fields": [
                    "code",
                    "rncp_code",
                    "level",
                    "european_level",
                    "rncp_registered",
                    "registration_decision_date",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # the slug is a stable identifier

    def has_delete_permission(self, request, obj=None):
        return False  # a CQPM is never deleted: dossiers point to it

    @admin.display(description=_("code CQPM"))
    def code_display(self, obj):
        return obj.code or _("à renseigner")

    @admin.display(description=_("fiche RNCP"))
    def rncp_code_display(self, obj):
        return obj.rncp_code or _("à renseigner")


class ModalityInline(DraftOnlyInline):
    model = EvaluationModality
    fields = ["order", "code", "label", "description", "requires_report"]


class BlocInline(DraftOnlyInline):
    model = Bloc
    fields = ["order", "code", "rncp_code", "title", "description"]


class CompetenceInline(DraftOnlyInline):
    model = Competence
    fields = ["order", "code", "number", "bloc", "title", "short_title", "items_link"]
    readonly_fields = ["items_link"]

    @admin.display(description=_("critères, résultats…"))
    def items_link(self, competence):
        if not competence.pk:
            return "—"
        url = reverse("admin:cqpm_competence_change", args=[competence.pk])
        return format_html('<a href="{}">{}</a>', url, _("détail"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bloc":  # only the blocs of this version
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Bloc.objects.filter(version_id=object_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(NationalAdminOnly, admin.ModelAdmin):
    list_display = ["qualification", "number", "status", "published_at"]
    list_filter = ["status", "qualification"]
    list_select_related = ["qualification"]
    fields = [
        "qualification",
        "number",
        "status",
        "published_at",
        "competence_credit_months",
        "bloc_credit_months",
    ]
    readonly_fields = ["qualification", "number", "status", "published_at"]
    inlines = [ModalityInline, BlocInline, CompetenceInline]
    actions = ["publish", "start_new_draft", "archive"]

    def has_add_permission(self, request):
        return False  # versions come from a file (load_referential) or « nouveau brouillon »

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user) and (obj is None or obj.is_editable)

    def delete_queryset(self, request, queryset):
        for version in queryset:  # the model refuses to delete a published version
            version.delete()

    def _run(self, request, queryset, service, *, title, question, done):
        if not is_national_admin(request.user):
            raise PermissionDenied
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "cqpm/admin_confirm_action.html",
                {
                    **self.admin_site.each_context(request),
                    "title": title,
                    "question": question,
                    "versions": queryset,
                    "action": request.POST.get("action"),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        for version in queryset:
            try:
                result = service(version, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{version} : {exc.message}", messages.ERROR)
            else:
                self.message_user(request, done % {"version": result}, messages.SUCCESS)
        return None

    @admin.action(description=_("Publier (la version devient immuable)"))
    def publish(self, request, queryset):
        return self._run(
            request,
            queryset,
            services.publish_version,
            title=_("Publier des versions"),
            question=_("Une version publiée ne peut plus être modifiée. Publier ces versions ?"),
            done=_("%(version)s publiée."),
        )

    @admin.action(description=_("Nouveau brouillon à partir de cette version"))
    def start_new_draft(self, request, queryset):
        return self._run(
            request,
            queryset,
            services.start_new_draft,
            title=_("Créer un nouveau brouillon"),
            question=_("Créer un brouillon (copie) pour modifier ces référentiels ?"),
            done=_("Brouillon %(version)s prêt à être modifié."),
        )

    @admin.action(description=_("Archiver (plus proposée aux nouvelles inscriptions)"))
    def archive(self, request, queryset):
        return self._run(
            request,
            queryset,
            services.archive_version,
            title=_("Archiver des versions"),
            question=_(
                "Les dossiers déjà inscrits gardent leur version ; elle ne sera plus proposée. "
                "Archiver ces versions ?"
            ),
            done=_("%(version)s archivée."),
        )


class ConditionInline(DraftOnlyInline):
    model = Condition
    fields = ["order", "text"]


class CriterionInline(DraftOnlyInline):
    model = Criterion
    fields = ["order", "category", "conditional", "text"]


class ExpectedResultInline(DraftOnlyInline):
    model = ExpectedResult
    fields = ["order", "text"]


class KnowledgeInline(DraftOnlyInline):
    model = Knowledge
    fields = ["order", "text"]


@admin.register(Competence)
class CompetenceAdmin(NationalAdminOnly, admin.ModelAdmin):
    list_display = ["code", "title", "version"]
    list_filter = ["version__qualification", "version__status"]
    list_select_related = ["version__qualification"]
    search_fields = ["code", "title", "short_title"]
    fields = ["version", "bloc", "code", "number", "title", "short_title", "order"]
    readonly_fields = ["version", "bloc"]
    inlines = [ConditionInline, CriterionInline, ExpectedResultInline, KnowledgeInline]

    def has_add_permission(self, request):
        return False  # competences are added from their version

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user) and (obj is None or obj.version.is_editable)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user) and (obj is None or obj.version.is_editable)
