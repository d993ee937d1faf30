"""The one scoping mechanism for tenant-owned data (django-scopes, as pretix does).

Every tenant-owned model uses ``ScopedManager(centre=...)``: a query made while no centre
scope is active raises ``ScopeError`` instead of returning every centre's rows (fail closed).
``ActiveCentreMiddleware`` opens the scope for each request; tasks and commands open it
themselves with :func:`centre_scope`.
"""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

__all__ = ["centre_scope", "no_centre_scope", "scopes_disabled"]


@contextmanager
def centre_scope(centre):
    """Activate the scope of one centre (a Centre or its id); ``None`` shows nothing."""
    centre_ids = [] if centre is None else [getattr(centre, "pk", centre)]
    with scope(centre=centre_ids):
        yield


@contextmanager
def no_centre_scope():
    """A scope in which every tenant-owned query returns nothing (anonymous, national admin)."""
    with scope(centre=[]):
        yield
