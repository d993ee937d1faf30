"""Permission matrix of the documents app (see ``tests/matrix.py``)."""

from documents.models import DocumentStatus
from tests.matrix import ALL_ROLES, STAFF_ROLES, Entry

from .factories import issue, make_batch, make_document

NOT_STAFF = ("assessor", "juror", "company_rep", "national_admin")
LIST_LABEL = "Parchemin de Zoé MATRICE-A"
HOLDER = "Registre-Alpha"


def _list_row(world):
    make_document(world.centre_a, label=LIST_LABEL)


def _register_row(world):
    issue(world.centre_a, holder_last_name=HOLDER, subject=("juries.decision", "matrix-list"))


def _doc(**kwargs):
    def build(world):
        return {"pk": make_document(world.centre_a, **kwargs).pk}

    return build


def _batch(world):
    return {"pk": make_batch(world.centre_a, count=2).pk}


def _certificate(world):
    return {"pk": issue(world.centre_a, subject=("juries.decision", "matrix")).pk}


def _code(world):
    return {"code": issue(world.centre_a, subject=("juries.decision", "public")).display_code}


READY = {"status": DocumentStatus.READY, "with_file": True}
FAILED = {"status": DocumentStatus.FAILED, "error": "RuntimeError: boom"}

ENTRIES = [
    # Pages
    Entry("documents:list", allowed=STAFF_ROLES, setup=_list_row, marker=lambda w: LIST_LABEL),
    Entry("documents:detail", allowed=STAFF_ROLES, kwargs=_doc(), hidden_from=NOT_STAFF),
    Entry("documents:download", allowed=STAFF_ROLES, kwargs=_doc(**READY), hidden_from=NOT_STAFF),
    Entry(
        "documents:retry",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        kwargs=_doc(**FAILED),
        hidden_from=NOT_STAFF,
    ),
    Entry("documents:batch", allowed=STAFF_ROLES, kwargs=_batch, hidden_from=NOT_STAFF),
    Entry("documents:batch-progress", allowed=STAFF_ROLES, kwargs=_batch, hidden_from=NOT_STAFF),
    Entry("documents:batch-zip", allowed=STAFF_ROLES, kwargs=_batch, hidden_from=NOT_STAFF),
    Entry(
        "documents:certificates",
        allowed=STAFF_ROLES,
        setup=_register_row,
        marker=lambda w: HOLDER.upper(),
    ),
    Entry("documents:certificate", allowed=STAFF_ROLES, kwargs=_certificate, hidden_from=NOT_STAFF),
    Entry(
        "documents:certificate-render",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        kwargs=_certificate,
        hidden_from=NOT_STAFF,
    ),
    Entry(
        "documents:certificate-revoke",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        kwargs=_certificate,
        data=lambda w: {"reason": "Erreur de saisie du nom"},
        hidden_from=NOT_STAFF,
    ),
    # Public verification
    Entry("verification:form", allowed=ALL_ROLES, public=True),
    Entry("verification:verify", allowed=ALL_ROLES, public=True, kwargs=_code),
    # API
    Entry("api:document-list", allowed=STAFF_ROLES, setup=_list_row, marker=lambda w: LIST_LABEL),
    Entry("api:document-detail", allowed=STAFF_ROLES, kwargs=_doc(), hidden_from=NOT_STAFF),
    Entry(
        "api:document-retry",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_doc(**FAILED),
        hidden_from=NOT_STAFF,
    ),
    Entry(
        "api:document-download", allowed=STAFF_ROLES, kwargs=_doc(**READY), hidden_from=NOT_STAFF
    ),
    Entry("api:document-batch-detail", allowed=STAFF_ROLES, kwargs=_batch, hidden_from=NOT_STAFF),
]
