"""The audit log: browsable with filters and a constant query count, exportable as CSV by
the centre administrator, append-only in the model, the queryset and the database."""

import csv
import datetime
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from centres import audit
from centres.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def entry(centre, action="test.action", *, actor=None, days_ago=0, **kwargs):
    return AuditEntry.objects.create(
        centre=centre,
        actor=actor,
        action=action,
        subject_type=kwargs.pop("subject_type", "centres.company"),
        subject_id=kwargs.pop("subject_id", "1"),
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user("centre_admin"))
    return client


def page_text(response) -> str:
    return response.content.decode()


def test_filters_actor_action_subject_and_dates(admin_client, world):
    staff, admin = world.user("staff"), world.user("centre_admin")
    entry(world.centre_a, "dossier.submit", actor=staff, subject_type="candidates.dossier")
    entry(world.centre_a, "company.update", actor=admin, subject_id="77", reason="ancien-motif")
    entry(world.centre_a, "company.create", actor=admin, days_ago=40, reason="tres-ancien")
    entry(world.centre_b, "company.update", reason="autre-centre")
    url = reverse("centres:audit_log")

    def actions(query):
        response = admin_client.get(url, query)
        assert response.status_code == 200
        return [e.action for e in response.context["page"]]

    base = actions({"action": "company.", "subject_type": "centres.company"})
    assert base == ["company.update", "company.create"]
    assert actions({"actor": staff.pk}) == ["dossier.submit"]
    assert actions({"subject_type": "centres.company", "subject_id": "77"}) == ["company.update"]
    today = timezone.localdate()
    assert "company.create" not in actions({"date_from": today - datetime.timedelta(days=10)})
    old = actions({"date_to": today - datetime.timedelta(days=30), "action": "company."})
    assert old == ["company.create"]
    assert "autre-centre" not in page_text(admin_client.get(url))
    # An impossible range is refused clearly.
    response = admin_client.get(url, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "La date de fin précède la date de début." in page_text(response)


@pytest.mark.parametrize("count", [3, 120])
def test_the_list_costs_the_same_queries_for_few_or_many_rows(
    count, admin_client, client, api_client, world, django_assert_num_queries
):
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                centre=world.centre_a,
                actor=world.user("staff"),
                action="bulk.row",
                subject_type="centres.company",
                subject_id=str(n),
            )
            for n in range(count)
        ]
    )
    # session, user, memberships (actor), actor choices, count, page of entries+actors
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("centres:audit_log"), {"action": "bulk."})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 50)
    # The API: session, user, memberships (actor), count, page of entries+actors.
    client.logout()
    api_client.force_login(world.user("centre_admin"))
    with django_assert_num_queries(5):
        response = api_client.get(reverse("api:audit-entry-list"), {"action": "bulk."})
    assert response.status_code == 200 and response.json()["count"] == count


def test_csv_export_of_the_filtered_rows_only_and_safe_for_spreadsheets(
    admin_client, world, client
):
    admin = world.user("centre_admin")
    entry(
        world.centre_a,
        "company.update",
        actor=admin,
        before={"name": "Alpha"},
        after={"name": "Alpha SA"},
        reason='=HYPERLINK("http://evil")',
    )
    entry(world.centre_a, "auth.login", actor=admin)
    entry(world.centre_b, "company.update", reason="autre-centre")
    response = admin_client.get(reverse("centres:audit_export"), {"action": "company."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:4] == ["date", "acteur", "nom de l'acteur", "action"]
    assert len(rows) == 2
    row = rows[1]
    assert row[1] == admin.username and row[3] == "company.update"
    assert '"Alpha"' in row[6] and '"Alpha SA"' in row[7]
    assert row[8].startswith("'=")  # not run as a formula by a spreadsheet
    assert "autre-centre" not in body


def test_only_the_centre_administrator_reads_it(client, world):
    for role in ("staff", "assessor", "juror", "company_rep"):
        client.force_login(world.user(role))
        assert client.get(reverse("centres:audit_log")).status_code == 403
        assert client.get(reverse("centres:audit_export")).status_code == 403


def test_api_lists_and_filters(api_client, world):
    admin = world.user("centre_admin")
    entry(world.centre_a, "company.update", actor=admin, subject_id="5")
    entry(world.centre_a, "dossier.submit", actor=world.user("staff"))
    entry(world.centre_b, "company.update")
    api_client.force_login(admin)
    response = api_client.get(reverse("api:audit-entry-list"), {"action": "company."})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["action"] for r in results] == ["company.update"]
    assert results[0]["actor_username"] == admin.username
    response = api_client.get(reverse("api:audit-entry-list"), {"actor": world.user("staff").pk})
    assert [r["action"] for r in response.json()["results"]] == ["dossier.submit"]


# --- Append-only -------------------------------------------------------------------------


def test_an_entry_cannot_be_changed_nor_deleted_through_the_orm(world):
    row = entry(world.centre_a)
    row.action = "autre"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=row.pk).update(action="autre")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=row.pk).delete()
    assert AuditEntry.objects.get(pk=row.pk).action == "test.action"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE centres_auditentry SET action = 'falsifiée' WHERE id = %s",
        "UPDATE centres_auditentry SET after = '{}'::jsonb WHERE id = %s",
        "DELETE FROM centres_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_updates_and_deletes(world, sql):
    row = entry(world.centre_a, after={"name": "Alpha"})
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [row.pk])
    assert AuditEntry.objects.get(pk=row.pk).after == {"name": "Alpha"}


def test_redaction_is_the_only_change_allowed(world):
    row = entry(
        world.centre_a,
        "candidate.update",
        before={"birth_name": "Dupont", "sex": "F"},
        after={"birth_name": "Durand", "sex": "F"},
    )
    assert audit.redact(AuditEntry.objects.filter(pk=row.pk), {"birth_name"}) == 1
    row = AuditEntry.objects.get(pk=row.pk)
    assert row.before == {"birth_name": "[anonymisé]", "sex": "F"}
    assert row.after == {"birth_name": "[anonymisé]", "sex": "F"}
    assert row.action == "candidate.update"
    if connection.vendor == "postgresql":  # the redaction flag does not outlive it
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE centres_auditentry SET after = '{}'::jsonb WHERE id = %s", [row.pk]
            )
