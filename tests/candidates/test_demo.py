import io

from django.core.management import call_command

from candidates import demo
from candidates.models import AccessStatus, Candidate, Dossier, DossierStatus
from centres.models import AuditEntry


def test_seed_covers_every_state_and_route_and_is_idempotent(world, version, settings):
    settings.DEBUG = True
    context = {"centres": {"a": world.centre_a}, "companies": {"a": [world.company_a]}}
    demo.seed(context)
    dossiers = Dossier.objects.filter(centre=world.centre_a)
    assert Candidate.objects.filter(centre=world.centre_a).count() == demo.PER_CENTRE
    assert set(dossiers.values_list("status", flat=True)) == set(DossierStatus.values)
    assert set(dossiers.values_list("access_route", flat=True)) == set(AccessStatus.values)
    assert dossiers.filter(previous_dossier__isnull=False).exists()  # a re-sit
    assert dossiers.filter(documents__late=True).exists()
    assert dossiers.exclude(accommodation=None).exists()
    counts = (Candidate.objects.count(), Dossier.objects.count(), AuditEntry.objects.count())
    demo.seed(context)
    assert (
        Candidate.objects.count(),
        Dossier.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert any("Candidats" in line for line in context["summary"])


def test_seed_demo_command_runs_with_loader(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Dossier.objects.count() > 40
    assert set(Dossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
