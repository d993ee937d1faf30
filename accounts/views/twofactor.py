"""Second-factor pages: set up an authenticator app, confirm a login, recovery codes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts import twofactor
from centres.errors import CentreError

RECOVERY_SESSION_KEY = "twofactor_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class RegenerateCodesForm(CodeForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je comprends que mes codes de secours actuels ne fonctionneront plus."),
        error_messages={
            "required": gettext_lazy(
                "Cochez cette case pour confirmer le remplacement de vos codes actuels."
            )
        },
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@login_required
def verify(request):
    """Second step of the login: a code from the app, or a recovery code."""
    if _is_verified(request):
        return redirect(_next_url(request))
    if not twofactor.has_confirmed_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify_code(request, form.cleaned_data["code"]) is not None:
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché par votre "
                "application, ou l'un de vos codes de secours."
            ),
        )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
def setup(request):
    """Enrol an authenticator app: the password again, then the QR code and manual key
    (shown on that one response), then a first code to confirm.

    The secret belongs to this session only and expires (``accounts.twofactor``): a session
    holding the password cannot read the secret another one is setting up."""
    if twofactor.has_confirmed_device(request.user) and not _is_verified(request):
        # Replacing a device needs the current one: a stolen password is not enough.
        return redirect(f"{reverse('two_factor_verify')}?next={_next_url(request)}")
    context = {"next": _next_url(request), "minutes": twofactor.setup_minutes()}
    password_form = PasswordForm()
    form = CodeForm()
    pending = twofactor.session_pending_device(request)
    if request.method == "POST" and "password" in request.POST:
        password_form = PasswordForm(request.POST)
        if password_form.is_valid():
            device = twofactor.start_enrolment(request, password_form.cleaned_data["password"])
            if device is not None:
                context.update(
                    qr_svg=twofactor.qr_svg(device), manual_key=twofactor.manual_key(device)
                )
                return render(
                    request, "registration/two_factor_setup.html", {**context, "form": form}
                )
            password_form.add_error("password", _("Mot de passe incorrect."))
    elif request.method == "POST":
        form = CodeForm(request.POST)
        if pending is None:
            messages.error(
                request,
                _(
                    "Cette clé a expiré ou une autre connexion a recommencé l'activation : "
                    "saisissez de nouveau votre mot de passe pour obtenir une nouvelle clé."
                ),
            )
        elif form.is_valid():
            codes = twofactor.confirm_device(
                request, twofactor.normalise_code(form.cleaned_data["code"])
            )
            if codes is not None:
                request.session[RECOVERY_SESSION_KEY] = codes
                messages.success(request, _("La double authentification est activée."))
                return redirect(f"{reverse('two_factor_recovery_codes')}?next={_next_url(request)}")
            form.add_error(
                "code",
                _(
                    "Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et "
                    "saisissez le code affiché en ce moment."
                ),
            )
        pending = twofactor.session_pending_device(request)
    return render(
        request,
        "registration/two_factor_setup.html",
        {**context, "form": form, "password_form": password_form, "pending": pending},
    )


@never_cache
@login_required
def recovery_codes(request):
    """The ten recovery codes, shown once right after the set-up (or a regeneration),
    never again."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
@login_required
def regenerate_codes(request):
    """Replace the recovery codes: a warning, a tick to confirm, a current code from the app;
    the new codes are then shown once on the recovery codes page."""
    if not twofactor.has_confirmed_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={_next_url(request)}")
    form = RegenerateCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.regenerate_recovery_codes(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except CentreError as error:
            form.add_error("code", error.message)
        else:
            request.session[RECOVERY_SESSION_KEY] = codes
            messages.success(
                request, _("Vos anciens codes de secours sont désormais inutilisables.")
            )
            return redirect(f"{reverse('two_factor_recovery_codes')}?next={_next_url(request)}")
    return render(
        request,
        "registration/two_factor_regenerate_codes.html",
        {"form": form, "next": _next_url(request)},
    )
