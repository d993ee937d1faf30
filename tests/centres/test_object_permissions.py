"""grant_object_permission / revoke_object_permission: guardian grants with audit rows,
never across the tenant wall. Tested on Company through guardian's generic tables (later
apps use direct foreign-key tables; the helpers are the same)."""

import pytest

from centres.errors import CentreError
from centres.models import AuditEntry, Membership
from centres.permissions import (
    grant_object_permission,
    has_object_permission,
    revoke_object_permission,
)

pytestmark = pytest.mark.django_db

PERM = "centres.view_company"


def test_grant_and_revoke_with_audit(world, admin_a):
    assessor = world.user("assessor")
    company = world.company_a
    assert not assessor.has_perm(PERM, company)
    assert grant_object_permission(assessor, PERM, company, actor=admin_a) is True
    assert has_object_permission(assessor, PERM, company)
    fresh = type(assessor).objects.get(pk=assessor.pk)
    assert fresh.has_perm(PERM, company)  # through guardian's backend
    assert not fresh.has_perm(PERM, world.company_b)
    # Granting twice is a no-op without a second audit row.
    assert grant_object_permission(assessor, PERM, company, actor=admin_a) is False
    assert revoke_object_permission(assessor, PERM, company, actor=admin_a) is True
    assert not has_object_permission(assessor, PERM, company)
    assert revoke_object_permission(assessor, PERM, company, actor=admin_a) is False
    entries = AuditEntry.objects.filter(subject_type="centres.company").order_by("id")
    assert [e.action for e in entries] == ["permission.grant", "permission.revoke"]
    grant = entries[0]
    assert grant.after == {"user": assessor.pk, "permission": PERM}
    assert grant.centre == world.centre_a and grant.actor == admin_a


def test_no_grant_across_centres(world, admin_a):
    outsider = world.user("assessor", "b")
    with pytest.raises(CentreError) as exc:
        grant_object_permission(outsider, PERM, world.company_a, actor=admin_a)
    assert exc.value.code == "grant_outside_centre"
    assert not has_object_permission(outsider, PERM, world.company_a)


def test_no_grant_to_a_withdrawn_member_but_revoke_still_works(world, admin_a):
    juror = world.user("juror")
    grant_object_permission(juror, PERM, world.company_a, actor=admin_a)
    Membership.objects.filter(user=juror).update(is_active=False)
    with pytest.raises(CentreError):
        grant_object_permission(juror, "centres.change_company", world.company_a, actor=admin_a)
    assert revoke_object_permission(juror, PERM, world.company_a, actor=admin_a)
