"""The session board: who voted on what, per dossier and competence.

Prepared in Python in one pass (the member header and each vote-cell row are built once as
HTML, so the template loops over items and competences only), then rendered once per state
of the board and cached (:func:`board_html`): the session page and the board polled by
htmx every 4 s read the cached HTML, and a closed session (frozen but for a revocation)
is never recomputed.

The cache key holds everything the HTML depends on:

- the centre and the session (tenant first);
- ``JurySession.board_version``, bumped in the same transaction by every jury service
  that changes what the board shows (votes, decisions, agenda, conflicts, regularity,
  attendance, status, revocation): the board read after it is at least that recent;
- what other apps write and the board shows: the members' names (their user accounts)
  and the candidates' names and access routes, read on every request (the page needs the
  members anyway; ``agenda_rows``: one small query, also used by the composition check)
  and hashed into the key, so a renamed or anonymised candidate never shows from the
  cache. Competence codes belong to a published referential version, which never changes;
- the language (translated labels), the status, and a digest of the template, of the code
  that computes the board and of the translation catalogues (a deployment that changes the
  markup or the tally never serves the old one).

Without Redis (``LocMemCache``) or with Redis down, every process computes its own board:
correct (the version is read from the database), only slower.
"""

import hashlib
import zlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from juries.deliberation import agenda_rows, session_states
from juries.models import Attendance

BOARD_TEMPLATE = "juries/_board.html"
BOARD_CACHE_SECONDS = 6 * 3600


def _cells():
    return {
        "voted": format_html(
            '<td class="cell cell-voted"><span aria-label="{}">✓</span></td>', _("a voté")
        ),
        "abstains": format_html(
            '<td class="cell cell-abstains"><span class="muted" title="{}">{}</span></td>',
            _("Lien avec le candidat : s’abstient"),
            _("abst."),
        ),
        "waiting": format_html(
            '<td class="cell cell-waiting"><span class="muted" aria-label="{}">…</span></td>',
            _("en attente"),
        ),
    }


def member_header(present) -> str:
    """The members' column headers (the same for every dossier)."""
    star = format_html(' <abbr title="{}">★</abbr>', _("Président(e), voix prépondérante"))
    return format_html_join(
        "",
        '<th scope="col" class="member-col">{}{}</th>',
        ((m.name, star if m.is_president else "") for m in present),
    )


def _badges():
    return {
        "casting": format_html(
            ' <span class="badge badge-info" title="{}">{}</span>',
            _("Égalité départagée par la voix du président"),
            _("voix prépondérante"),
        ),
        "tie": format_html(' <span class="badge badge-warn">{}</span>', _("égalité")),
    }


def prepare_board(states, present) -> str:
    """Attach ``rows`` (the dossier's competence rows, safe HTML) to every item state and
    return the member header."""
    cells = _cells()
    badges = _badges()
    for state in states:
        abstaining = {m.pk for m in state.abstaining}
        rows = []
        for cs in state.competences:
            tally = cs.tally
            if tally.casting_vote:
                badge = badges["casting"]
            elif tally.acquired is None and not cs.waiting_for and cs.votes:
                badge = badges["tie"]
            else:
                badge = ""
            row_cells = "".join(
                cells[
                    "abstains" if m.pk in abstaining else "voted" if m.pk in cs.votes else "waiting"
                ]
                for m in present
            )
            rows.append(
                format_html(
                    '<tr><th scope="row">{}</th>{}<td class="nowrap">{} A / {} NA{}</td></tr>',
                    cs.competence.code,
                    mark_safe(row_cells),  # noqa: S308 — the escaped cells built above
                    tally.votes_for,
                    tally.votes_against,
                    badge,
                )
            )
        state.rows = mark_safe("\n".join(rows))  # noqa: S308 — rows built by format_html
    return member_header(present)


# --- the rendered board, cached ------------------------------------------------------------


def render_board(session, members) -> str:
    """The board's HTML, computed (``session_states``: 5 queries whatever the size)."""
    _members, states = session_states(session, members=members)
    present = [m for m in members if m.attendance == Attendance.PRESENT]
    return render_to_string(
        BOARD_TEMPLATE,
        {"session": session, "states": states, "member_header": prepare_board(states, present)},
    )


@once
def _code_version() -> str:
    """A digest of what makes the board's HTML besides the data: the template, the code that
    prepares it, the translations. Read once per process."""
    here = Path(__file__).resolve().parent
    sources = [here / "board.py", here / "deliberation.py", here / "outcome.py"]
    sources.append(Path(get_template(BOARD_TEMPLATE).origin.name))
    for locale in settings.LOCALE_PATHS:
        sources += sorted(Path(locale).glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.blake2b(digest_size=6)
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def board_key(session, members, agenda) -> str:
    """``agenda``: the session's ``agenda_rows`` (the candidates' names, the access routes)."""
    people = [(m.pk, m.user_id, m.name, m.college, m.is_president, m.attendance) for m in members]
    digest = hashlib.blake2b(repr((people, agenda)).encode(), digest_size=16).hexdigest()
    return ":".join(
        str(part)
        for part in (
            "juries:board",
            _code_version(),
            session.centre_id,
            session.pk,
            session.board_version,
            session.status,
            get_language(),
            digest,
        )
    )


def board_html(session, members, agenda=None) -> str:
    """The session's board (safe HTML), from the cache when nothing it shows has changed.
    ``session`` is read in this request, before the board (its ``board_version``);
    ``members``: all its members; ``agenda``: its ``agenda_rows`` (read here if None).
    The HTML (~5 kB per dossier, very repetitive) is stored compressed (~2 %)."""
    if agenda is None:
        agenda = agenda_rows(session)
    key = board_key(session, members, agenda)
    packed = cache.get(key)
    if packed is not None:
        html = zlib.decompress(packed).decode()
    else:
        html = render_board(session, members)
        cache.set(key, zlib.compress(html.encode()), BOARD_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — rendered by the template above (autoescaped)
