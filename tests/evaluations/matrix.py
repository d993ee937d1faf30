"""Permission matrix of the evaluations app's pages and endpoints (see tests/matrix.py).

Objects are built in centre A: a session whose commission is the world's assessor plus a
second one (``_scene``), or — for the "not in the session" entries — a commission without
the world's assessor, who then gets a 404 (``hidden_from``)."""

from django.utils import timezone

from candidates.models import DossierStatus
from evaluations import services
from evaluations.models import SessionDossier
from tests.matrix import STAFF_ROLES, Entry

from .factories import (
    agreed_dossier,
    assessor,
    complete,
    referential,
    seated_session,
    statement_for,
)

MARKER = "MATRIXEVAL"
READERS = (*STAFF_ROLES, "assessor")
OPINION_READERS = (*STAFF_ROLES, "company_rep")
NOT_EVALUATION = ("juror", "company_rep", "national_admin")
NOT_OPINION = ("assessor", "juror", "national_admin")
NOT_MEMBER = ("assessor", *NOT_EVALUATION)


def _dossier(w, **kwargs):
    return agreed_dossier(
        w.centre_a, referential(), company=w.company_a, birth_name=MARKER, **kwargs
    )


def _scene(w, *, member=True, declared=True):
    dossier = _dossier(w)
    if member:
        users = [w.user("assessor"), assessor(w.centre_a, "matrix_second")]
    else:
        users = [assessor(w.centre_a, "matrix_other1"), assessor(w.centre_a, "matrix_other2")]
    session = seated_session(w, [dossier], assessors=users, declared=declared)
    session.label = MARKER
    session.save(update_fields=["label"])
    return session, dossier, users


def _grid(w, *, member=True, completed=False, signed=False):
    session, dossier, users = _scene(w, member=member)
    grid = dossier.grids.order_by("competence__number").first()
    if completed or signed:
        complete(grid, users[0])
    if signed:
        for user in users:
            services.sign_grid(grid, actor=user)
    return grid


def session_pk(member=True, declared=True):
    return lambda w: {"pk": _scene(w, member=member, declared=declared)[0].pk}


def grid_pk(**kwargs):
    return lambda w: {"pk": _grid(w, **kwargs).pk}


def score_pk(member=True):
    return lambda w: {"pk": _grid(w, member=member).scores.order_by("id").first().pk}


def _setup_scene(w):
    _scene(w)


def _marker(w):
    return MARKER


def _declaration_kwargs(w):
    session, dossier, _users = _scene(w, declared=False)
    return {"session_pk": session.pk, "dossier_pk": dossier.pk}


def _last_scene_dossier(w):
    """The dossier of the session the entry's ``kwargs`` just built (data come after)."""
    return SessionDossier.objects.filter(session__label=MARKER).latest("id").dossier


def _statement(w):
    return {"statement": statement_for(_last_scene_dossier(w))}


def _remove_dossier_kwargs(w):
    session, dossier, _users = _scene(w)
    return {"pk": session.pk, "dossier_pk": dossier.pk}


def _member_pk(w):
    session, _dossier_obj, users = _scene(w)
    return {"pk": session.members.get(user=users[1]).pk}


def _session_data(w):
    return {
        "label": "Nouvelle session",
        "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "Atelier",
        "modality": "real_work",
    }


def _api_session_data(w):
    return {"label": "Nouvelle", "starts_at": timezone.now().isoformat(), "place": "Atelier"}


def _new_dossier(w):
    return {"dossier": _dossier(w).pk}


def _new_member(w):
    return {"user": assessor(w.centre_a, "matrix_new").pk}


def _opinion_dossier_pk(w):
    dossier = _dossier(w)
    dossier.status = DossierStatus.IN_EVALUATION
    dossier.save(update_fields=["status"])
    return {"dossier_pk": dossier.pk}


def _opinion_form(w):
    data = {"author_capacity": "tutor", "general_comment": "Sérieux", "action": "save"}
    return data  # competence values are optional in a draft


def _opinion(w, *, signed_ready=False):
    dossier = _dossier(w)
    items = [
        {"competence": row.competence_id, "value": "favourable"}
        for row in dossier.competences.all()
    ]
    opinion = services.give_opinion(
        dossier,
        actor=w.user("company_rep"),
        items=items if signed_ready else (),
        general_comment=MARKER,
    )
    return opinion


def _setup_opinion(w):
    _opinion(w)


def _opinion_pk(signed_ready=False):
    return lambda w: {"pk": _opinion(w, signed_ready=signed_ready).pk}


def _api_opinion_data(w):
    dossier = _dossier(w)
    return {
        "dossier": dossier.pk,
        "items": [
            {"competence": row.competence_id, "value": "reserved", "comment": "À confirmer"}
            for row in dossier.competences.all()
        ],
    }


def _closable_session(w):
    session, dossier, users = _scene(w)
    for grid in dossier.grids.all():
        complete(grid, users[0])
        for user in users:
            services.sign_grid(grid, actor=user)
    services.start_session(session, actor=w.user("staff"))
    return {"pk": session.pk}


HTML = [
    Entry("evaluations:session_list", allowed=READERS, marker=_marker, setup=_setup_scene),
    Entry(
        "evaluations:session_list",
        allowed=READERS,
        marker=_marker,
        setup=_setup_scene,
        query="?q=atelier&status=planned",
        label="filtres",
    ),
    Entry("evaluations:session_create", allowed=STAFF_ROLES),
    Entry(
        "evaluations:session_create",
        allowed=STAFF_ROLES,
        method="post",
        data=_session_data,
        status=302,
        label="post",
    ),
    Entry(
        "evaluations:session_detail",
        allowed=READERS,
        kwargs=session_pk(),
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_detail",
        allowed=STAFF_ROLES,
        kwargs=session_pk(member=False),
        hidden_from=NOT_MEMBER,
        label="hors session",
    ),
    Entry(
        "evaluations:session_edit",
        allowed=STAFF_ROLES,
        kwargs=session_pk(),
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_add_dossier",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
        data=_new_dossier,
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_remove_dossier",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_remove_dossier_kwargs,
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_add_member",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
        data=_new_member,
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_transition",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=lambda w: {"pk": _scene(w)[0].pk, "action": "demarrer"},
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:session_convocations",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:declaration",
        allowed=("assessor",),
        kwargs=_declaration_kwargs,
    ),
    Entry(
        "evaluations:declaration",
        allowed=("assessor",),
        method="post",
        kwargs=_declaration_kwargs,
        data=_statement,
        status=302,
        label="post",
    ),
    Entry(
        "evaluations:member_remove",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_member_pk,
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:member_presence",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_member_pk,
        data=lambda w: {"present": "0"},
        status=302,
        hidden_from=NOT_EVALUATION,
    ),
    Entry("evaluations:grid", allowed=READERS, kwargs=grid_pk(), hidden_from=NOT_EVALUATION),
    Entry(
        "evaluations:grid",
        allowed=STAFF_ROLES,
        kwargs=grid_pk(member=False),
        hidden_from=NOT_MEMBER,
        label="hors session",
    ),
    Entry(
        "evaluations:grid_sign",
        allowed=("assessor",),
        kwargs=grid_pk(completed=True),
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:grid_sign",
        allowed=("assessor",),
        method="post",
        kwargs=grid_pk(completed=True),
        status=302,
        hidden_from=NOT_EVALUATION,
        label="post",
    ),
    Entry(
        "evaluations:grid_reopen",
        allowed=STAFF_ROLES,
        kwargs=grid_pk(signed=True),
        hidden_from=NOT_EVALUATION,
    ),
    Entry(
        "evaluations:grid_reopen",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=grid_pk(signed=True),
        data=lambda w: {"reason": "Erreur de saisie"},
        status=302,
        hidden_from=NOT_EVALUATION,
        label="post",
    ),
    Entry(
        "evaluations:opinion_list",
        allowed=OPINION_READERS,
        marker=_marker,
        setup=lambda w: _opinion_dossier_pk(w),
    ),
    Entry(
        "evaluations:opinion",
        allowed=OPINION_READERS,
        kwargs=_opinion_dossier_pk,
        hidden_from=NOT_OPINION,
    ),
    Entry(
        "evaluations:opinion",
        allowed=("company_rep",),
        method="post",
        kwargs=_opinion_dossier_pk,
        data=_opinion_form,
        status=302,
        hidden_from=NOT_OPINION,
        label="post",
    ),
    Entry(
        "evaluations:opinion_unavailable",
        allowed=STAFF_ROLES,
        kwargs=_opinion_dossier_pk,
        hidden_from=NOT_OPINION,
    ),
    Entry(
        "evaluations:opinion_unavailable",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_opinion_dossier_pk,
        data=lambda w: {"reason": "Entreprise fermée"},
        status=302,
        hidden_from=NOT_OPINION,
        label="post",
    ),
]

API = [
    Entry("api:evaluationsession-list", allowed=READERS, marker=_marker, setup=_setup_scene),
    Entry(
        "api:evaluationsession-list",
        allowed=STAFF_ROLES,
        method="post",
        data=_api_session_data,
        status=201,
        label="create",
    ),
    Entry("api:evaluationsession-detail", allowed=READERS, kwargs=session_pk()),
    Entry(
        "api:evaluationsession-detail",
        allowed=STAFF_ROLES,
        kwargs=session_pk(member=False),
        hidden_from=("assessor",),
        label="hors session",
    ),
    Entry(
        "api:evaluationsession-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=session_pk(),
        data=lambda w: {"place": "Salle 2", "version": 1},
        label="patch",
    ),
    Entry(
        "api:evaluationsession-start",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
    ),
    Entry(
        "api:evaluationsession-close",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_closable_session,
    ),
    Entry("api:evaluationsession-dossiers", allowed=READERS, kwargs=session_pk()),
    Entry(
        "api:evaluationsession-dossiers",
        allowed=STAFF_ROLES,
        kwargs=session_pk(member=False),
        hidden_from=("assessor",),
        label="hors session",
    ),
    Entry(
        "api:evaluationsession-dossiers",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
        data=_new_dossier,
        status=201,
        label="add",
    ),
    Entry("api:evaluationsession-members", allowed=READERS, kwargs=session_pk()),
    Entry(
        "api:evaluationsession-members",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=session_pk(),
        data=_new_member,
        status=201,
        label="add",
    ),
    Entry(
        "api:evaluationsession-declarations",
        allowed=("assessor",),
        method="post",
        kwargs=session_pk(declared=False),
        data=lambda w: {
            "dossier": _last_scene_dossier(w).pk,
            **_statement(w),
        },
        status=201,
    ),
    Entry(
        "api:commissionmember-detail",
        allowed=STAFF_ROLES,
        method="delete",
        kwargs=_member_pk,
        status=204,
    ),
    Entry(
        "api:commissionmember-presence",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_member_pk,
        data=lambda w: {"present": False},
    ),
    Entry("api:grid-list", allowed=READERS, marker=_marker, setup=_setup_scene),
    Entry("api:grid-detail", allowed=READERS, kwargs=grid_pk()),
    Entry(
        "api:grid-detail",
        allowed=STAFF_ROLES,
        kwargs=grid_pk(member=False),
        hidden_from=("assessor",),
        label="hors session",
    ),
    Entry(
        "api:grid-proposal",
        allowed=("assessor",),
        method="put",
        kwargs=grid_pk(),
        data=lambda w: {"proposal": "acquise", "version": 1},
    ),
    Entry("api:grid-sign", allowed=("assessor",), method="post", kwargs=grid_pk(completed=True)),
    Entry(
        "api:grid-reopen",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=grid_pk(signed=True),
        data=lambda w: {"reason": "Erreur de saisie"},
    ),
    Entry("api:criterionscore-detail", allowed=READERS, kwargs=score_pk()),
    Entry(
        "api:criterionscore-detail",
        allowed=STAFF_ROLES,
        kwargs=score_pk(member=False),
        hidden_from=("assessor",),
        label="hors session",
    ),
    Entry(
        "api:criterionscore-detail",
        allowed=("assessor",),
        method="patch",
        kwargs=score_pk(),
        data=lambda w: {"state": "satisfied", "version": 1},
        label="patch",
    ),
    Entry("api:companyopinion-list", allowed=OPINION_READERS, marker=_marker, setup=_setup_opinion),
    Entry(
        "api:companyopinion-list",
        allowed=("company_rep",),
        method="post",
        data=_api_opinion_data,
        status=201,
        label="create",
    ),
    Entry("api:companyopinion-detail", allowed=OPINION_READERS, kwargs=_opinion_pk()),
    Entry(
        "api:companyopinion-detail",
        allowed=("company_rep",),
        method="patch",
        kwargs=_opinion_pk(),
        data=lambda w: {"general_comment": "Très bien", "version": 1},
        label="patch",
    ),
    Entry(
        "api:companyopinion-sign",
        allowed=("company_rep",),
        method="post",
        kwargs=_opinion_pk(signed_ready=True),
    ),
    Entry(
        "api:companyopinion-unavailable",
        allowed=STAFF_ROLES,
        method="post",
        data=lambda w: {"dossier": _dossier(w).pk, "reason": "Entreprise fermée"},
    ),
]


ENTRIES = HTML + API
