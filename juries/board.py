"""The session board prepared in Python in one pass: the member header and each vote-cell
row are built once as HTML, so the template loops over items and competences only (the
board of a closed 80-dossier session used to cost thousands of tag evaluations per
request). Reads only what ``session_states`` already loaded: no query."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


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
