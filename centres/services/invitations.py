"""Invitations: a centre administrator invites an e-mail address to a role; the one-time,
expiring link creates the account (or uses the logged-in one) and the membership."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from centres import audit
from centres.errors import CentreError
from centres.models import Centre, Invitation, Membership
from centres.roles import Capability, Role
from centres.services._guards import require_capability
from core.services import user_of

User = get_user_model()

MEMBERSHIP_AUDIT_FIELDS = ("role", "company", "handles_accommodations", "is_active")
INVITATION_AUDIT_FIELDS = ("email", "role", "company", "expires_at")


def _normalize_email(email) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CentreError(
            _("Saisissez une adresse électronique valide."), code="invalid_email"
        ) from None
    return email


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("centres:invitation_accept", kwargs={"token": token})


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "centre": invitation.centre,
        "role": invitation.get_role_display(),
        "url": invitation_url(token),
        "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
        "inviter": invitation.invited_by,
    }
    subject = render_to_string("centres/email/invitation_subject.txt", context).strip()
    body = render_to_string("centres/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invite_user(centre, *, email, role, company=None, actor) -> Invitation:
    """Invite ``email`` to ``role`` in ``centre``; re-inviting a pending address refreshes
    its invitation (new link, new expiry). The one-time token is only mailed; it is also set
    on the returned object as ``invitation.token`` (never stored in clear)."""
    user = user_of(actor)
    email = _normalize_email(email)
    if role not in Role.values:
        raise CentreError(_("Choisissez un rôle valide."), code="invalid_role")
    with transaction.atomic(), scopes_disabled():
        centre = Centre.objects.select_for_update().get(pk=centre.pk)
        require_capability(user, centre, Capability.MANAGE_USERS)
        if role == Role.COMPANY_REP:
            if company is None:
                raise CentreError(
                    _("Un représentant d'entreprise doit être rattaché à une entreprise."),
                    code="company_required",
                )
            if company.centre_id != centre.pk:
                raise CentreError(
                    _("Cette entreprise n'appartient pas à votre centre."), code="foreign_company"
                )
        else:
            company = None
        if Membership.objects.filter(
            centre=centre, role=role, is_active=True, user__email__iexact=email
        ).exists():
            raise CentreError(
                _("%(email)s a déjà le rôle « %(role)s » dans ce centre.")
                % {"email": email, "role": Role(role).label},
                code="already_member",
            )
        token = Invitation.new_token()
        expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS)
        invitation = (
            Invitation.objects.select_for_update()
            .filter(
                centre=centre,
                email=email,
                role=role,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        if invitation is None:
            invitation = Invitation.objects.create(
                centre=centre,
                email=email,
                role=role,
                company=company,
                token_hash=Invitation.hash_token(token),
                invited_by=user,
                expires_at=expires_at,
            )
            action, before = "invitation.create", None
        else:
            before = audit.snapshot(invitation, INVITATION_AUDIT_FIELDS)
            invitation.company = company
            invitation.token_hash = Invitation.hash_token(token)
            invitation.invited_by = user
            invitation.expires_at = expires_at
            invitation.save(update_fields=["company", "token_hash", "invited_by", "expires_at"])
            action = "invitation.refresh"
        audit.record(
            centre=centre,
            actor=user,
            action=action,
            subject=invitation,
            before=before,
            after=audit.snapshot(invitation, INVITATION_AUDIT_FIELDS),
        )
        invitation.token = token
        transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link points to, whatever its state (resolved across centres: the
    token is the credential)."""
    if not token:
        return None
    with scopes_disabled():
        return (
            Invitation.objects.select_related("centre", "company", "invited_by")
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )


def invitation_refusal(invitation: Invitation | None) -> CentreError | None:
    """Why a link can no longer be used, as the error to show; None when usable."""
    if invitation is None:
        return CentreError(
            _(
                "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié le lien "
                "complet."
            ),
            code="invitation_unknown",
        )
    if invitation.revoked_at is not None:
        return CentreError(
            _(
                "Cette invitation a été révoquée par le centre. Contactez l'administrateur du "
                "centre si vous pensez qu'il s'agit d'une erreur."
            ),
            code="invitation_revoked",
        )
    if invitation.accepted_at is not None:
        return CentreError(
            _("Cette invitation a déjà été utilisée : connectez-vous avec votre compte."),
            code="invitation_used",
        )
    if invitation.expires_at <= timezone.now():
        return CentreError(
            _(
                "Cette invitation a expiré le %(date)s. Demandez une nouvelle invitation à "
                "l'administrateur du centre."
            )
            % {"date": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")},
            code="invitation_expired",
        )
    return None


def accept_invitation(token, *, user=None, new_user=None) -> Membership:
    """Accept an invitation: as the logged-in ``user`` (whose e-mail must be the invited
    one), or by creating an account from ``new_user`` (dict: username, first_name,
    last_name, password — the password already validated by the form)."""
    if (user is None) == (new_user is None):
        raise ValueError("pass exactly one of user= or new_user=")
    with transaction.atomic(), scopes_disabled():
        found = find_invitation(token)
        invitation = (
            Invitation.objects.select_for_update().select_related("centre").get(pk=found.pk)
            if found
            else None
        )
        refusal = invitation_refusal(invitation)
        if refusal is not None:
            raise refusal
        if user is not None:
            user = User.objects.select_for_update().get(pk=user.pk)
            if (user.email or "").strip().lower() != invitation.email.lower():
                raise CentreError(
                    _(
                        "Cette invitation a été envoyée à une autre adresse électronique que "
                        "celle de votre compte. Déconnectez-vous, ou demandez une invitation "
                        "à votre adresse."
                    ),
                    code="invitation_wrong_email",
                )
        else:
            user = _create_invited_user(invitation, new_user)
        membership = _grant_invited_role(invitation, user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            centre=invitation.centre_id,
            actor=user,
            action="invitation.accept",
            subject=invitation,
            after={"membership": membership.pk, "user": user.pk},
        )
    return membership


def _create_invited_user(invitation, data):
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise CentreError(
            _(
                "Un compte existe déjà pour cette adresse : connectez-vous pour accepter "
                "l'invitation."
            ),
            code="account_exists",
        )
    username = (data.get("username") or "").strip()
    if not username:
        raise CentreError(_("Choisissez un identifiant."), code="username_required")
    if User.objects.filter(username__iexact=username).exists():
        raise CentreError(
            _("Cet identifiant est déjà utilisé : choisissez-en un autre."), code="username_taken"
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                email=invitation.email,
                password=data["password"],
                first_name=(data.get("first_name") or "").strip(),
                last_name=(data.get("last_name") or "").strip(),
            )
    except IntegrityError:
        raise CentreError(
            _("Cet identifiant est déjà utilisé : choisissez-en un autre."), code="username_taken"
        ) from None
    audit.record(
        centre=invitation.centre_id,
        actor=user,
        action="user.create",
        subject=user,
        after={"username": user.username, "email": user.email, "invitation": invitation.pk},
    )
    return user


def _grant_invited_role(invitation, user) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, centre_id=invitation.centre_id, role=invitation.role)
        .first()
    )
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            centre_id=invitation.centre_id,
            role=invitation.role,
            company_id=invitation.company_id,
        )
        audit.record(
            centre=invitation.centre_id,
            actor=user,
            action="membership.create",
            subject=membership,
            after=audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
            reason=_("Invitation acceptée"),
        )
        return membership
    if membership.is_active:
        if membership.company_id != invitation.company_id:
            raise CentreError(
                _("Vous représentez déjà une autre entreprise dans ce centre."),
                code="already_company_rep",
            )
        return membership
    before = audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.is_active = True
    membership.deactivated_at = None
    membership.company_id = invitation.company_id
    membership.save(update_fields=["is_active", "deactivated_at", "company"])
    audit.record(
        centre=invitation.centre_id,
        actor=user,
        action="membership.reactivate",
        subject=membership,
        before=before,
        after=audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=_("Invitation acceptée"),
    )
    return membership


def revoke_invitation(invitation, *, actor) -> Invitation:
    user = user_of(actor)
    with transaction.atomic(), scopes_disabled():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        require_capability(user, invitation.centre, Capability.MANAGE_USERS)
        if invitation.revoked_at is not None:
            return invitation
        if invitation.accepted_at is not None:
            raise CentreError(
                _(
                    "Cette invitation a déjà été acceptée : désactivez plutôt le rôle de la "
                    "personne."
                ),
                code="invitation_used",
            )
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            centre=invitation.centre_id,
            actor=user,
            action="invitation.revoke",
            subject=invitation,
            after={"revoked_at": invitation.revoked_at.isoformat()},
        )
    return invitation
