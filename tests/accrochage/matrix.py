"""Permission matrix of the accrochage pages and endpoints (see tests/matrix.py).

Centre staff (centre administrators and chargés de certification) declare their centre's
holders; the national administrator sets the certifier account and sees no holder.
Every object lives in centre A.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from accrochage.holders import id_technique
from accrochage.models import Flux, FluxStatus, Passage, PassageStatus
from tests.matrix import STAFF_ROLES, Entry

from .factories import awards, certifier

MARKER = "MATRIXTITULAIRE"
FLUX = "PARCH-MATRIXFLUX"
NATIONAL = ("national_admin",)


def _award(w):
    (decision,) = awards(w.centre_a, birth_name=MARKER)
    return decision


def _flux(w, *, rejected=False):
    """A generated flux of centre A with one passage (built directly: the matrix checks who
    reaches it, the services' tests check how it is made)."""
    certifier()
    decision = _award(w)
    with scopes_disabled():
        flux = Flux(
            centre=w.centre_a,
            flux_id=f"{FLUX}-{decision.pk}",
            passage_count=1,
            status=FluxStatus.GENERATED,
        )
        flux.file.save(flux.filename, ContentFile(b"<flux/>"), save=False)
        flux.save()
        Passage.objects.create(
            flux=flux,
            decision=decision,
            id_technique=id_technique(decision),
            holder=MARKER,
            status=PassageStatus.REJECTED if rejected else PassageStatus.PENDING,
        )
        if rejected:
            Flux.objects.filter(pk=flux.pk).update(
                status=FluxStatus.REPORT_IMPORTED, rejected_count=1
            )
    return flux


def _flux_pk(**kw):
    return lambda w: {"pk": _flux(w, **kw).pk}


def _report(w):
    with scopes_disabled():
        passage = Passage.objects.latest("id")
    body = (
        f"<rapport><idFlux>{passage.flux.flux_id}</idFlux><PassagesOK>"
        f"<idTechnique>{passage.id_technique}</idTechnique></PassagesOK></rapport>"
    )
    return SimpleUploadedFile("compte-rendu.xml", body.encode(), content_type="text/xml")


def _setup(builder):
    return lambda w: builder(w) and None


def _account_data(w):
    return {"client_id": "UIMM0001", "contract_id": "C-2026", "nature": "CERTIFICATEUR"}


HTML = [
    Entry("accrochage:holders", allowed=STAFF_ROLES, marker=lambda w: MARKER, setup=_setup(_award)),
    Entry(
        "accrochage:holders",
        allowed=STAFF_ROLES,
        marker=lambda w: MARKER,
        setup=_setup(_award),
        query="?q=matrix&sort=-candidate",
        label="filtres",
    ),
    Entry(
        "accrochage:generate",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        data=lambda w: {"decisions": [_award(w).pk]},
    ),
    Entry("accrochage:flux_list", allowed=STAFF_ROLES, marker=lambda w: FLUX, setup=_setup(_flux)),
    Entry(
        "accrochage:flux_list",
        allowed=STAFF_ROLES,
        marker=lambda w: FLUX,
        setup=_setup(_flux),
        query="?q=matrix&sort=passages",
        label="filtres",
    ),
    Entry("accrochage:flux_detail", allowed=STAFF_ROLES, kwargs=_flux_pk()),
    Entry(
        "accrochage:flux_detail",
        allowed=STAFF_ROLES,
        kwargs=_flux_pk(rejected=True),
        query="?status=rejected&q=matrix",
        label="rejetés",
    ),
    Entry("accrochage:flux_download", allowed=STAFF_ROLES, kwargs=_flux_pk()),
    Entry(
        "accrochage:report_import",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        kwargs=_flux_pk(),
        data=lambda w: {"report": _report(w)},
    ),
    Entry(
        "accrochage:resend",
        allowed=STAFF_ROLES,
        method="post",
        status=302,
        kwargs=_flux_pk(rejected=True),
    ),
    Entry("accrochage:certifier_account", allowed=NATIONAL),
    Entry(
        "accrochage:certifier_account",
        allowed=NATIONAL,
        method="post",
        status=302,
        data=_account_data,
        label="post",
    ),
]


def _report_text(w):
    with scopes_disabled():
        passage = Passage.objects.latest("id")
    return {
        "content": f"<rapport><PassagesKO><passage><idTechnique>{passage.id_technique}"
        "</idTechnique><messageErreur>Inconnu</messageErreur></passage></PassagesKO></rapport>"
    }


API = [
    Entry(
        "api:accrochage-holder-list",
        allowed=STAFF_ROLES,
        marker=lambda w: MARKER,
        setup=_setup(_award),
    ),
    Entry(
        "api:accrochage-holder-list",
        allowed=STAFF_ROLES,
        marker=lambda w: MARKER,
        setup=_setup(_award),
        query="?search=matrix&ordering=-deadline",
        label="filtres",
    ),
    Entry(
        "api:accrochage-flux-list", allowed=STAFF_ROLES, marker=lambda w: FLUX, setup=_setup(_flux)
    ),
    # reaches the service, which refuses: the matrix world's holders have no INSEE code of
    # their birth commune (a 201 is checked in test_api.py)
    Entry(
        "api:accrochage-flux-list",
        allowed=STAFF_ROLES,
        method="post",
        status=400,
        data=lambda w: {"decisions": [_award(w).pk]},
        label="create",
    ),
    Entry("api:accrochage-flux-detail", allowed=STAFF_ROLES, kwargs=_flux_pk()),
    Entry("api:accrochage-flux-download", allowed=STAFF_ROLES, kwargs=_flux_pk()),
    Entry("api:accrochage-flux-passages", allowed=STAFF_ROLES, kwargs=_flux_pk()),
    Entry(  # the matrix posts JSON; the report is a multipart upload (test_api.py)
        "api:accrochage-flux-report",
        allowed=STAFF_ROLES,
        method="post",
        status=415,
        kwargs=_flux_pk(),
    ),
    Entry(
        "api:accrochage-flux-resend",
        allowed=STAFF_ROLES,
        method="post",
        status=400,
        kwargs=_flux_pk(rejected=True),
        label="schema",
    ),
]

ENTRIES = HTML + API
