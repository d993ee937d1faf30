import django_filters
from django.utils.translation import gettext_lazy as _

from candidates.models import AccessStatus, Candidate, Dossier, DossierDocument, DossierStatus
from candidates.selectors import CANDIDATE_NAME_FIELDS
from centres.models import Company
from core.search import text_search
from cqpm.models import Qualification


def _companies(request):
    """The active centre's companies (evaluated per request, inside its scope)."""
    return Company.objects.all()


def _search(prefix_candidate, prefix_dossier):
    """Each word in a name or the company (accents and case ignored, as on the pages), or
    a dossier reference ("D-000079")."""

    def method(queryset, name, value):
        for term in value.split():
            pk = Dossier.pk_from_reference(term)
            if pk is not None:
                queryset = queryset.filter(**{f"{prefix_dossier}pk": pk})
                continue
            fields = [f"{prefix_candidate}{field}" for field in CANDIDATE_NAME_FIELDS]
            queryset = queryset.filter(text_search(term, *fields, f"{prefix_dossier}company__name"))
        return queryset

    return method


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Nom, prénom ou entreprise"))
    access_status = django_filters.ChoiceFilter(choices=AccessStatus.choices)
    status = django_filters.ChoiceFilter(
        field_name="dossiers__status", choices=DossierStatus.choices, distinct=True
    )
    qualification = django_filters.ModelChoiceFilter(
        field_name="dossiers__referential_version__qualification",
        queryset=Qualification.objects.all(),
        distinct=True,
    )
    company = django_filters.ModelChoiceFilter(
        field_name="dossiers__company", queryset=_companies, distinct=True
    )

    class Meta:
        model = Candidate
        fields = ["q", "access_status", "status", "qualification", "company"]

    def search(self, queryset, name, value):
        return _search("", "dossiers__")(queryset, name, value).distinct()


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Nom, prénom ou entreprise"))
    status = django_filters.ChoiceFilter(choices=DossierStatus.choices)
    access_route = django_filters.ChoiceFilter(choices=AccessStatus.choices)
    qualification = django_filters.ModelChoiceFilter(
        field_name="referential_version__qualification", queryset=Qualification.objects.all()
    )
    company = django_filters.ModelChoiceFilter(queryset=_companies)
    candidate = django_filters.NumberFilter(field_name="candidate_id")

    class Meta:
        model = Dossier
        fields = ["q", "status", "access_route", "qualification", "company", "candidate"]

    def search(self, queryset, name, value):
        return _search("candidate__", "")(queryset, name, value)


class DocumentFilter(django_filters.FilterSet):
    dossier = django_filters.NumberFilter(field_name="dossier_id")

    class Meta:
        model = DossierDocument
        fields = ["dossier"]
