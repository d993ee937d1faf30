"""Searching and sorting names the French way, in the database, on PostgreSQL and SQLite.

- ``text_search(query, *fields)``: a ``Q`` where every word of the query is found, accents
  and case ignored, in one of the fields ("menard" finds « MÉNARD », "precision" finds
  « Précision »). Each field is compared through the ``folded`` transform:
  ``lower(unaccent(x))`` on PostgreSQL (the ``unaccent`` extension, created by
  ``cqpm/migrations/0003``), ``parchemin_fold(x)`` on SQLite (the Python ``fold`` of
  ``core.text``, registered on every new connection). The words are folded in Python the same
  way, so both sides meet.
- ``french(field)``: an ordering expression that sorts the French way (case-insensitive,
  « ÉTIENNE » among the E): the ``french`` collation, an ICU collation on PostgreSQL (created
  by the same migration), a Python collation on SQLite (registered with the function).

Every list (pages and API) searches and sorts through these two helpers; ``core.listing``
adds the sortable columns and the pagination.
"""

import sqlite3

from django.db.models import CharField, F, Q, TextField, Transform
from django.db.models.functions import Collate

from core.text import fold, fold_char

COLLATION = "french"
SQLITE_FOLD = "parchemin_fold"


class Folded(Transform):
    """``field__folded__contains=fold(word)``: the field lower-cased and without accents."""

    lookup_name = "folded"
    function = "LOWER"

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"LOWER(UNACCENT({sql}))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"{SQLITE_FOLD}({sql})", params


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box (empty when it holds only spaces)."""
    return fold(query or "").split()


def text_search(query: str | None, *fields: str) -> Q:
    """Rows where each word of ``query`` is in one of ``fields`` (any case, any accent).
    ``fields`` may cross relations ("candidate__birth_name"); an empty query matches all."""
    condition = Q()
    for word in search_terms(query):
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__folded__contains": word})
        condition &= either
    return condition


def same_text(field: str, value: str) -> Q:
    """Rows whose ``field`` equals ``value``, accents and case ignored ("arnaud" and
    « ARNAUD », "amelie" and « Amélie »)."""
    return Q(**{f"{field}__folded": fold(value or "")})


def french(field: str) -> Collate:
    """``field`` sorted the French way: ``order_by(french("birth_name"))``, or
    ``french("name").desc()``."""
    return Collate(F(field), COLLATION)


# SQLite: the same function and collation, in Python, on each new connection.


def sql_fold(value):
    """``parchemin_fold`` on SQLite: like PostgreSQL's ``lower(unaccent(x))`` (whitespace
    kept, so ``contains`` means the same on both)."""
    if value is None:
        return None
    return "".join(fold_char(char) for char in str(value))


def french_key(value: str) -> tuple[str, str, str]:
    """The sort key of the ``french`` collation on SQLite, as ICU's French collation: the
    letters first, then the accents (without before with), then the case (lower first)."""
    return sql_fold(value), value.casefold(), value.swapcase()


def collate_french(left: str, right: str) -> int:
    a, b = french_key(left), french_key(right)
    return (a > b) - (a < b)


def register_sqlite(raw: sqlite3.Connection) -> None:
    """Install ``parchemin_fold`` and the ``french`` collation on a sqlite3 connection."""
    raw.create_function(SQLITE_FOLD, 1, sql_fold, deterministic=True)
    raw.create_collation(COLLATION, collate_french)


def on_connection_created(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver (connected in ``CqpmConfig.ready``)."""
    if connection.vendor == "sqlite":
        register_sqlite(connection.connection)
