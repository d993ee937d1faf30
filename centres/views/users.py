"""Centre administration: users and their roles, invitations (capability manage_users)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centres import services
from centres.access import (
    get_invitation_for_user,
    get_membership_for_user,
    invitations_for,
    memberships_for,
    require,
)
from centres.errors import CentreError
from centres.forms import InviteForm, MembershipFilterForm
from centres.roles import Capability, Role
from centres.sorting import INVITATION_SORT, USER_SORT
from core.listing import paginate
from core.search import text_search
from core.views import add_domain_error


@login_required
def user_list(request):
    actor = request.actor
    require(actor, Capability.MANAGE_USERS)
    form = MembershipFilterForm(request.GET or None)
    memberships, sort = USER_SORT.apply(memberships_for(actor), request.GET.get("sort"))
    status = "active"
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            memberships = memberships.filter(
                text_search(
                    q, "user__first_name", "user__last_name", "user__email", "user__username"
                )
            )
        if form.cleaned_data["role"]:
            memberships = memberships.filter(role=form.cleaned_data["role"])
        status = form.cleaned_data["status"] or "active"
    if status == "active":
        memberships = memberships.filter(is_active=True)
    elif status == "inactive":
        memberships = memberships.filter(is_active=False)
    page, query_string = paginate(request, memberships)
    pending = invitations_for(actor).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(
        request,
        "centres/user_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string,
            "sort": sort,
            "pending_count": pending.count(),
        },
    )


@login_required
def membership_detail(request, pk):
    membership = get_membership_for_user(request.actor, pk)
    return render(
        request,
        "centres/membership_detail.html",
        {
            "membership": membership,
            "is_self": membership.user_id == request.user.pk,
            "is_staff_role": membership.role == Role.STAFF,
        },
    )


def _membership_action(request, pk, action, success):
    membership = get_membership_for_user(request.actor, pk, write=True)
    try:
        action(membership)
    except CentreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"user": membership.user})
    return redirect("centres:membership_detail", pk=membership.pk)


@require_POST
@login_required
def membership_deactivate(request, pk):
    reason = request.POST.get("reason", "")[:500]
    return _membership_action(
        request,
        pk,
        lambda m: services.deactivate_membership(m, actor=request.user, reason=reason),
        _("Le rôle de %(user)s est désactivé."),
    )


@require_POST
@login_required
def membership_reactivate(request, pk):
    return _membership_action(
        request,
        pk,
        lambda m: services.reactivate_membership(m, actor=request.user),
        _("Le rôle de %(user)s est réactivé."),
    )


@require_POST
@login_required
def membership_accommodations(request, pk):
    value = request.POST.get("handles_accommodations") == "1"
    return _membership_action(
        request,
        pk,
        lambda m: services.set_handles_accommodations(m, value, actor=request.user),
        _("L'accès aux aménagements de %(user)s est mis à jour."),
    )


@login_required
def invite(request):
    actor = request.actor
    require(actor, Capability.MANAGE_USERS)
    form = InviteForm(request.POST or None, centre=actor.centre, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_user(
                actor.centre,
                email=data["email"],
                role=data["role"],
                company=data["company"],
                actor=request.user,
            )
        except CentreError as exc:
            add_domain_error(
                form,
                exc,
                {
                    "invalid_email": "email",
                    "already_member": "email",
                    "company_required": "company",
                    "foreign_company": "company",
                },
            )
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s (rôle : %(role)s).")
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("centres:invitations")
    return render(request, "centres/invite.html", {"form": form})


@login_required
def invitation_list(request):
    actor = request.actor
    require(actor, Capability.MANAGE_USERS)
    invitations = invitations_for(actor).filter(accepted_at__isnull=True, revoked_at__isnull=True)
    invitations, sort = INVITATION_SORT.apply(invitations, request.GET.get("sort"))
    q = request.GET.get("q", "").strip()[:100]
    if q:
        invitations = invitations.filter(text_search(q, "email"))
    page, query_string = paginate(request, invitations)
    return render(
        request,
        "centres/invitation_list.html",
        {"page": page, "query_string": query_string, "q": q, "now": timezone.now(), "sort": sort},
    )


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = get_invitation_for_user(request.actor, pk, write=True)
    try:
        services.revoke_invitation(invitation, actor=request.user)
    except CentreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("L'invitation de %(email)s est révoquée.") % {"email": invitation.email}
        )
    return redirect("centres:invitations")
