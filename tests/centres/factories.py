"""Factories and builders for the tenancy tests."""

import datetime

from django.utils import timezone

from centres.models import Company, Invitation
from centres.roles import Role
from centres.validators import luhn_check_digit
from tests.factories import CentreFactory, CompanyFactory, MembershipFactory, UserFactory

__all__ = [
    "CentreFactory",
    "CompanyFactory",
    "MembershipFactory",
    "UserFactory",
    "company_with_valid_siret",
    "pending_invitation",
    "valid_siret",
]


def valid_siret(n: int) -> str:
    """A 14-digit SIRET passing the Luhn check, distinct for each ``n``."""
    partial = f"{73282932 + n:09d}{n % 10000:04d}"
    return partial + luhn_check_digit(partial)


def company_with_valid_siret(centre, n: int, **kwargs) -> Company:
    return CompanyFactory(centre=centre, siret=valid_siret(n), **kwargs)


def pending_invitation(
    centre,
    email="invite@example.org",
    *,
    role=Role.ASSESSOR,
    company=None,
    invited_by=None,
    token=None,
    expires_in=datetime.timedelta(days=7),
) -> Invitation:
    """A pending invitation with a known token (``invitation.token``); reused when the same
    (centre, email, role) is already pending."""
    token = token or Invitation.new_token()
    existing = Invitation.objects.filter(
        centre=centre, email=email, role=role, accepted_at=None, revoked_at=None
    ).first()
    if existing is not None:
        existing.token_hash = Invitation.hash_token(token)
        existing.save(update_fields=["token_hash"])
        existing.token = token
        return existing
    invitation = Invitation.objects.create(
        centre=centre,
        email=email,
        role=role,
        company=company,
        token_hash=Invitation.hash_token(token),
        invited_by=invited_by or UserFactory(),
        expires_at=timezone.now() + expires_in,
    )
    invitation.token = token
    return invitation
