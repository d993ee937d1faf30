"""The page an invitation link opens: accept as the logged-in user, or create an account."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from centres import services
from centres.access import ACTIVE_CENTRE_SESSION_KEY
from centres.errors import CentreError
from centres.forms import AcceptInvitationForm
from core.views import add_domain_error

User = get_user_model()

NEW_USER_ERROR_FIELDS = {"username_taken": "username", "username_required": "username"}


def _refused(request, error: CentreError, invitation=None):
    status = 404 if error.code == "invitation_unknown" else 410
    return render(
        request,
        "centres/invitation_refused.html",
        {"error": error, "invitation": invitation},
        status=status,
    )


def _welcome(request, membership):
    request.session[ACTIVE_CENTRE_SESSION_KEY] = membership.centre_id
    messages.success(
        request,
        _("Bienvenue ! Vous êtes maintenant %(role)s au %(centre)s.")
        % {"role": membership.get_role_display().lower(), "centre": membership.centre},
    )
    return redirect("home")


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept(request, token):
    invitation = services.find_invitation(token)
    refusal = services.invitation_refusal(invitation)
    if refusal is not None:
        return _refused(request, refusal, invitation)

    user = request.user
    if user.is_authenticated:
        wrong_email = (user.email or "").strip().lower() != invitation.email.lower()
        if request.method == "POST" and not wrong_email:
            try:
                membership = services.accept_invitation(token, user=user)
            except CentreError as exc:
                return _refused(request, exc, invitation)
            return _welcome(request, membership)
        return render(
            request,
            "centres/invitation_accept.html",
            {"invitation": invitation, "wrong_email": wrong_email, "mode": "existing"},
        )

    if User.objects.filter(email__iexact=invitation.email).exists():
        # The person already has an account: they log in and come back to this page.
        return render(
            request,
            "centres/invitation_accept.html",
            {"invitation": invitation, "mode": "login", "next": request.path},
        )

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.accept_invitation(
                token,
                new_user={
                    "username": data["username"],
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "password": data["password1"],
                },
            )
        except CentreError as exc:
            if exc.code.startswith("invitation_"):
                return _refused(request, exc, invitation)
            add_domain_error(form, exc, NEW_USER_ERROR_FIELDS)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    return render(
        request,
        "centres/invitation_accept.html",
        {"invitation": invitation, "form": form, "mode": "new"},
    )
