"""Permission matrix of the candidates app's pages and endpoints (see tests/matrix.py)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import importing
from candidates.models import CandidateImport, DossierStatus
from tests.matrix import STAFF_ROLES, Entry

from .factories import CandidateFactory, DossierDocumentFactory, DossierFactory

MARKER = "MATRIXMARQUEUR"
READERS = (*STAFF_ROLES, "company_rep")  # company reps: read-only, their employees' dossiers
NOBODY_ELSE = ("assessor", "juror", "national_admin")
NO_CANDIDATE = ("company_rep", *NOBODY_ELSE)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _candidate(w):
    return CandidateFactory(centre=w.centre_a, birth_name=MARKER)


def _candidate_pk(w):
    return {"pk": _candidate(w).pk}


def _candidate_fk(w):
    return {"candidate_pk": _candidate(w).pk}


def _dossier(w, **kwargs):
    return DossierFactory(centre=w.centre_a, candidate=_candidate(w), company=w.company_a, **kwargs)


def _dossier_pk(**kwargs):
    return lambda w: {"pk": _dossier(w, **kwargs).pk}


def _setup_dossier(w):
    _dossier(w)


def _marker(w):
    return MARKER


def _document_pk(w):
    return {"pk": DossierDocumentFactory(dossier=_dossier(w)).pk}


def _import(w, mapped=True):
    batch = CandidateImport(
        centre=w.centre_a,
        original_name="candidats.csv",
        file_format="csv",
        created_by=w.user("staff"),
        mapping={"encoding": "utf-8"},
    )
    batch.file.save("import", ContentFile(importing.template_csv()), save=False)
    batch.save()
    importing.parse_now(batch.pk)
    if mapped:
        batch.refresh_from_db()
        batch.mapping["columns"] = importing.guess_mapping(batch.headers)
        batch.save(update_fields=["mapping"])
    return {"pk": batch.pk}


def _candidate_data(w):
    return {
        "birth_name": "Nouveau",
        "first_names": "Jean",
        "sex": "M",
        "birth_date": "1990-01-02",
        "birth_country": "France",
        "access_status": "salarie",
    }


def _upload(w):
    return {"kind": "report", "file": SimpleUploadedFile("rapport.pdf", PDF)}


HTML = [
    Entry("candidates:list", allowed=STAFF_ROLES, marker=_marker, setup=_setup_dossier),
    Entry(
        "candidates:list",
        allowed=STAFF_ROLES,
        marker=_marker,
        setup=_setup_dossier,
        query="?q=matrix&status=draft&route=salarie",
        label="filtres",
    ),
    Entry("candidates:create", allowed=STAFF_ROLES),
    Entry(
        "candidates:create",
        allowed=STAFF_ROLES,
        method="post",
        data=_candidate_data,
        status=302,
        label="post",
    ),
    Entry("candidates:detail", allowed=STAFF_ROLES, kwargs=_candidate_pk, hidden_from=NO_CANDIDATE),
    Entry("candidates:edit", allowed=STAFF_ROLES, kwargs=_candidate_pk, hidden_from=NO_CANDIDATE),
    Entry("candidates:commune-search", allowed=STAFF_ROLES, query="?q=lyon"),
    Entry(
        "candidates:dossier_create",
        allowed=STAFF_ROLES,
        kwargs=_candidate_fk,
        hidden_from=NO_CANDIDATE,
    ),
    Entry("candidates:dossier_list", allowed=READERS, marker=_marker, setup=_setup_dossier),
    Entry(
        "candidates:dossier_detail",
        allowed=READERS,
        kwargs=_dossier_pk(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:dossier_edit",
        allowed=STAFF_ROLES,
        kwargs=_dossier_pk(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:dossier_modalities",
        allowed=STAFF_ROLES,
        kwargs=_dossier_pk(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:dossier_transition",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=lambda w: {**_dossier_pk()(w), "action": "submit"},
        status=302,
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:dossier_withdraw",
        allowed=STAFF_ROLES,
        kwargs=_dossier_pk(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:dossier_withdraw",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_dossier_pk(),
        data=lambda w: {"reason": "Démission"},
        status=302,
        hidden_from=NOBODY_ELSE,
        label="post",
    ),
    Entry(
        "candidates:dossier_resit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_dossier_pk(status=DossierStatus.DECIDED),
        status=302,
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:document_upload",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_dossier_pk(),
        data=_upload,
        status=302,
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:document_download",
        allowed=STAFF_ROLES,
        kwargs=_document_pk,
        hidden_from=NO_CANDIDATE,
    ),
    Entry(
        "candidates:accommodation",
        allowed=("centre_admin",),
        kwargs=_dossier_pk(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "candidates:accommodation",
        allowed=("centre_admin",),
        method="post",
        kwargs=_dossier_pk(),
        data=lambda w: {"needs": "Dyslexie", "to_apply": "Tiers temps", "version": 0},
        status=302,
        hidden_from=NOBODY_ELSE,
        label="post",
    ),
    Entry("candidates:import_upload", allowed=STAFF_ROLES),
    Entry("candidates:import_mapping", allowed=STAFF_ROLES, kwargs=_import),
    Entry("candidates:import_preview", allowed=STAFF_ROLES, kwargs=_import),
    Entry("candidates:import_progress", allowed=STAFF_ROLES, kwargs=_import),
    Entry(
        "candidates:import_template",
        allowed=STAFF_ROLES,
        query="?type=csv",
        label="csv",
    ),
    Entry(
        "candidates:import_template",
        allowed=STAFF_ROLES,
        query="?type=xlsx",
        label="xlsx",
    ),
]


# --- API --------------------------------------------------------------------------------


def _api_dossier(status=DossierStatus.DRAFT, with_modality=False, credit=False):
    def build(w):
        dossier = _dossier(w, status=status)
        if with_modality:
            from .factories import modality

            dossier.competences.update(modality=modality(dossier.referential_version))
        if credit:
            from .factories import CreditFactory

            version = dossier.referential_version
            CreditFactory(
                candidate=dossier.candidate,
                qualification=version.qualification,
                bloc=version.blocs.get(code="B1"),
                source_dossier=dossier,
            )
        return {"pk": dossier.pk}

    return build


def _api_candidate_data(w):
    return {
        "birth_name": "Api",
        "first_names": "Nouvelle",
        "sex": "F",
        "birth_date": "1991-02-03",
        "access_status": "salarie",
    }


def _api_dossier_data(w):
    from cqpm.models import Qualification

    from .factories import build_referential

    qualification = Qualification.objects.first() or build_referential().qualification
    return {
        "candidate": _candidate(w).pk,
        "qualification": qualification.pk,
        "company": w.company_a.pk,
    }


def _modalities_data(w):
    from candidates.models import Dossier

    dossier = Dossier.objects.latest("id")
    real = dossier.referential_version.modalities.get(code="real_work")
    return {
        "modalities": [
            {"competence": row.competence_id, "modality": real.pk}
            for row in dossier.competences.all()
        ]
    }


def _document_marker_setup(w):
    DossierDocumentFactory(dossier=_dossier(w), original_name=f"{MARKER}.pdf")


API = [
    Entry("api:candidate-list", allowed=STAFF_ROLES, marker=_marker, setup=_setup_dossier),
    Entry(
        "api:candidate-list",
        allowed=STAFF_ROLES,
        marker=_marker,
        setup=_setup_dossier,
        query="?q=matrix&status=draft",
        label="filtres",
    ),
    Entry(
        "api:candidate-list",
        allowed=STAFF_ROLES,
        method="post",
        data=_api_candidate_data,
        status=201,
        label="create",
    ),
    Entry("api:candidate-detail", allowed=STAFF_ROLES, kwargs=_candidate_pk),
    Entry(
        "api:candidate-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=_candidate_pk,
        data=lambda w: {"version": 1, "phone": "0102030405"},
        label="patch",
    ),
    Entry("api:dossier-list", allowed=READERS, marker=_marker, setup=_setup_dossier),
    Entry(
        "api:dossier-list",
        allowed=READERS,
        marker=_marker,
        setup=_setup_dossier,
        query="?status=draft&access_route=salarie&q=matrix",
        label="filtres",
    ),
    Entry(
        "api:dossier-list",
        allowed=STAFF_ROLES,
        method="post",
        data=_api_dossier_data,
        status=201,
        label="create",
    ),
    Entry("api:dossier-detail", allowed=READERS, kwargs=_api_dossier(), hidden_from=NOBODY_ELSE),
    Entry(
        "api:dossier-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=_api_dossier(),
        data=lambda w: {"version": 1, "tutor_name": "Nouveau tuteur"},
        hidden_from=NOBODY_ELSE,
        label="patch",
    ),
    Entry(
        "api:dossier-submit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-agree",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(DossierStatus.SUBMITTED, with_modality=True),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-withdraw",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(),
        data=lambda w: {"reason": "Démission"},
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-close",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(DossierStatus.DECIDED),
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-modalities",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(),
        data=_modalities_data,
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-resit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_api_dossier(DossierStatus.DECIDED, credit=True),
        status=201,
        hidden_from=NOBODY_ELSE,
    ),
    Entry(
        "api:dossier-document-list",
        allowed=STAFF_ROLES,
        marker=_marker,
        setup=_document_marker_setup,
    ),
    Entry(
        "api:dossier-document-list",
        allowed=STAFF_ROLES,
        method="post",
        status=415,  # the matrix posts JSON; an upload is multipart (its only parser)
        label="sans fichier",
    ),
    Entry(
        "api:dossier-document-detail",
        allowed=STAFF_ROLES,
        kwargs=_document_pk,
        hidden_from=NO_CANDIDATE,
    ),
    Entry(
        "api:dossier-document-download",
        allowed=STAFF_ROLES,
        kwargs=_document_pk,
        hidden_from=NO_CANDIDATE,
    ),
]

ENTRIES = HTML + API
