"""What tenancy tells the apps above it, without importing them."""

from django.dispatch import Signal

# A person's last active role in any centre was withdrawn (``user``, ``actor``, ``centre``
# id): ``accounts`` revokes their API tokens, in the same transaction.
last_role_ended = Signal()
