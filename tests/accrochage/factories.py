"""Awards to declare, built cheaply (``tests/juries/stats_fixture``), and the national
certifier account."""

import datetime

from django_scopes import scopes_disabled

from accrochage.models import CertifierAccount
from candidates.models import AccessStatus, Candidate, CandidateIdentity
from cqpm.models import Qualification
from juries.models import Outcome
from tests.juries.factories import referential
from tests.juries.stats_fixture import _decide, _session

RNCP = "RNCP35000"


def certifier(**fields) -> CertifierAccount:
    values = {"client_id": "UIMM0001", "contract_id": "MCFCER000123", **fields}
    return CertifierAccount.objects.create(**values)


def rncp_version():
    version = referential()
    Qualification.objects.filter(pk=version.qualification_id).update(rncp_code=RNCP)
    version.qualification.refresh_from_db()
    return version


def born_in_lyon(monkeypatch) -> None:
    """Every candidate born in Lyon (INSEE 69123), those that exist and those made after."""
    for name, value in (("birth_commune_code", "69123"), ("birth_country_code", "99100")):
        field = Candidate._meta.get_field(name)
        monkeypatch.setattr(field, "_get_default", lambda value=value: value, raising=False)
    with scopes_disabled():
        Candidate.objects.update(birth_commune_code="69123", birth_country_code="99100")


def awards(
    centre, routes=(AccessStatus.EMPLOYEE,), *, year=2026, month=6, outcome=Outcome.AWARDED, **cand
):
    """One frozen decision per route, in one closed session of ``year``."""
    version = rncp_version()
    with scopes_disabled():
        session = _session(centre, version, year)
        if month != 6:
            type(session).objects.filter(pk=session.pk).update(
                starts_at=session.starts_at.replace(month=month)
            )
            session.refresh_from_db()
        decisions = [_decide(session, version, route, outcome) for route in routes]
        for decision in decisions:
            if cand:
                Candidate.objects.filter(pk=decision.dossier.candidate_id).update(**cand)
    return decisions


def with_nir(decision, nir="290056912345678") -> None:
    with scopes_disabled():
        CandidateIdentity.objects.create(candidate_id=decision.dossier.candidate_id, nir=nir)


def revoke(decision) -> None:
    with scopes_disabled():
        type(decision).objects.filter(pk=decision.pk).update(
            revoked_at=decision.frozen_at + datetime.timedelta(days=40)
        )
