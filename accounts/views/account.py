"""The logged-in user's own account: *Mon compte* (password, second factor, recovery codes,
API tokens) and *Mes jetons d'accès* (list, revoke). Nobody sees another person's tokens:
someone else's token is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import tokens, twofactor


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "centres/account.html",
        {
            "has_device": twofactor.has_confirmed_device(user),
            "token_count": tokens.tokens_of(user).count(),
        },
    )


@login_required
def api_tokens(request):
    now = timezone.now()
    rows = [
        {"token": t, "expires_at": tokens.expires_at(t), "expired": tokens.is_expired(t, now)}
        for t in tokens.tokens_of(request.user)
    ]
    return render(request, "centres/api_tokens.html", {"rows": rows})


@require_POST
@login_required
def api_token_revoke(request, pk):
    token = tokens.get_token_for_user(request.user, pk)
    if token is None:
        raise Http404
    tokens.revoke_token(token, actor=request.user, reason="account page")
    messages.success(request, _("Le jeton %(prefix)s… est révoqué.") % {"prefix": token.prefix})
    return redirect("api_tokens")
