"""The deliberation page of one candidate (jurors of the session and centre staff): the
dossier file, the regularity check, the vote buttons per competence; and the downloads of
the dossier's documents through the session (a juror never reaches a dossier outside
their sessions' agendas)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from candidates.models import DossierDocument
from centres.access import get_object_or_404_scoped, require
from centres.roles import Capability
from core.disposition import name_download
from core.views import error_message
from cqpm.models import Competence
from juries import services
from juries.access import get_item_for_user, is_convener
from juries.deliberation import item_state
from juries.dossier_file import build_dossier_file
from juries.forms import ConflictForm, RegularityForm
from juries.models import JuryMember, VoteValue
from juries.views.common import presides


@login_required
@require_GET
def item_detail(request, pk, item_pk):
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    session = item.session
    members = list(JuryMember.objects.filter(session=session).select_related("user"))
    state = item_state(item, members=members)
    seat = next((m for m in members if m.user_id == actor.user.pk), None)
    file = build_dossier_file(
        item.dossier,
        on=session.jury_date,
        deliberation_started_at=session.deliberation_started_at,
    )
    my_votes = {
        c.competence.pk: c.votes[seat.pk].value
        for c in state.competences
        if seat is not None and seat.pk in c.votes
    }
    rows = []
    for competence_state in state.competences:
        rows.append(
            {
                "state": competence_state,
                "file": file.for_competence(competence_state.competence.pk),
                "mine": my_votes.get(competence_state.competence.pk, ""),
            }
        )
    refusal = services.vote_refusal(session, item, seat) if seat is not None else ""
    check = state.item.regularity_cached
    agenda = list(session.agenda.select_related("dossier__candidate").order_by("position", "id"))
    index = next((i for i, other in enumerate(agenda) if other.pk == item.pk), 0)
    return render(
        request,
        "juries/item_detail.html",
        {
            "session": session,
            "item": state.item,
            "dossier": state.item.dossier,
            "state": state,
            "file": file,
            "rows": rows,
            "seat": seat,
            "refusal": refusal,
            "can_vote": seat is not None and not refusal,
            "presides": presides(actor, session),
            "can_convene": is_convener(actor),
            "check": check,
            # No answer preselected: the juror must choose, unless a check is recorded.
            "regularity_form": RegularityForm(
                initial=(
                    {"regular": "1" if check.regular else "0", "comment": check.comment}
                    if check is not None
                    else {}
                )
            ),
            "conflict_form": ConflictForm(),
            "members": members,
            "previous": agenda[index - 1] if index > 0 else None,
            "next": agenda[index + 1] if index + 1 < len(agenda) else None,
            "vote_values": VoteValue,
        },
    )


@login_required
@require_POST
def item_vote(request, pk, item_pk):
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    require(actor, Capability.DELIBERATE)
    competence = get_object_or_404_scoped(
        Competence.objects.filter(version_id=item.dossier.referential_version_id),
        pk=request.POST.get("competence"),
    )
    try:
        services.cast_vote(item, competence, request.POST.get("value", ""), actor=actor)
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(
            request,
            _("Vote enregistré : %(code)s %(value)s.")
            % {
                "code": competence.code,
                "value": VoteValue(request.POST["value"]).label.lower(),
            },
        )
    url = redirect("juries:item_detail", pk=item.session_id, item_pk=item.pk).url
    return redirect(f"{url}#competence-{competence.pk}")


@login_required
@require_POST
def item_regularity(request, pk, item_pk):
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    if not presides(actor, item.session):
        raise PermissionDenied
    form = RegularityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez si l'évaluation est conforme."))
    else:
        try:
            services.record_regularity(
                item,
                regular=form.cleaned_data["regular"],
                comment=form.cleaned_data["comment"],
                actor=actor,
            )
        except services.JuryError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("Contrôle de régularité enregistré."))
    return redirect("juries:item_detail", pk=item.session_id, item_pk=item.pk)


@never_cache
@login_required
@require_GET
def item_document(request, pk, item_pk, document_pk):
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    document = get_object_or_404_scoped(
        DossierDocument.objects.filter(dossier_id=item.dossier_id), pk=document_pk
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    name_download(response, document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
