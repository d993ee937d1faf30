"""Accent- and case-insensitive text matching for searches over the referential.

``fold`` gives the form stored in ``Criterion.search_text`` and applied to a query, so that
« securite » finds « sécurité » and « oeuvre » finds « œuvre » on PostgreSQL and SQLite alike
(no database extension needed). ``highlight`` marks the matches in the original text.
"""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "‘": "'", "«": '"', "»": '"'}


def fold_char(char: str) -> str:
    lowered = char.casefold()
    if lowered in _LIGATURES:
        return _LIGATURES[lowered]
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, accent-free, ligature-free form of ``text`` (whitespace collapsed)."""
    return " ".join("".join(fold_char(c) for c in text).split())


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text (whitespace kept) and, for each folded char, its index in ``text``."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        chars.append(folded)
        positions.extend([index] * len(folded))
    return "".join(chars), positions


def highlight(text: str, query: str) -> SafeString:
    """``text`` HTML-escaped, every occurrence of each word of ``query`` in ``<mark>``."""
    words = fold(query or "").split()
    if not words:
        return escape(text)
    haystack, positions = _folded_with_positions(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = haystack.find(word)
        while start != -1:
            spans.append((positions[start], positions[start + len(word) - 1] + 1))
            start = haystack.find(word, start + len(word))
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    parts: list[str] = []
    cursor = 0
    for begin, end in merged:
        parts.append(escape(text[cursor:begin]))
        parts.append(f"<mark>{escape(text[begin:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
