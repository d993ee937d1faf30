"""Take back the object permissions that no active role carries any more: those left by
roles withdrawn before the services revoked them together with the role. Safe to run
again (it revokes nothing the second time): ``manage.py revoke_unheld_grants``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from centres.permissions import revoke_unheld_object_permissions, user_grant_tables


class Command(BaseCommand):
    help = "Retire les droits sur objet qu'aucun rôle actif ne justifie plus."

    def handle(self, *args, **options):
        user_ids = set()
        for table in user_grant_tables():
            user_ids |= set(table.objects.values_list("user_id", flat=True).distinct())
        total = 0
        for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
            count = revoke_unheld_object_permissions(user, actor=None)
            if count:
                self.stdout.write(f"{user.username}: {count} droit(s) retiré(s)")
            total += count
        self.stdout.write(self.style.SUCCESS(f"{total} droit(s) retiré(s) au total"))
