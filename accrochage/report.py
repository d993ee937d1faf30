"""Reading the portal's processing report ("compte rendu de traitement").

The report lists the accepted passages under ``passagesOK`` and the rejected ones under
``passagesKO``, by ``idTechnique``, each rejected one with its ``messageErreur`` (one or
more). Open implementations show it as::

    <ns2:rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">
      <nomFichier>…xml</nomFichier><idFlux>…</idFlux><idTraitement>51354</idTraitement>
      <PassagesKO><passage><idTechnique>…</idTechnique><messageErreur>…</messageErreur>
      </passage></PassagesKO>
      <PassagesOK><idTechnique>…</idTechnique>…</PassagesOK>
    </ns2:rapport>

The reader ignores namespaces and the case of the element names, and takes the accepted
ids at any depth of ``passagesOK`` (bare or wrapped in ``passage``). No DTD, no entity, no
network (XXE-safe).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

from accrochage.errors import AccrochageError

MAX_REPORT_BYTES = 200 * 1024 * 1024  # the portal's own limit per file


@dataclass
class Report:
    id_flux: str = ""
    accepted: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [*self.accepted, *self.rejected]


def _name(node) -> str:
    return etree.QName(node).localname.lower() if isinstance(node.tag, str) else ""


def _text(node) -> str:
    return " ".join((node.text or "").split())


def _rejected(container, report: Report, seen: set) -> None:
    for node in container.iter():
        if _name(node) != "idtechnique":
            continue
        parent = node.getparent()
        messages = [_text(sibling) for sibling in parent if _name(sibling) == "messageerreur"] or [
            _("Rejeté sans message")
        ]
        _add(report, seen, _text(node), "; ".join(m for m in messages if m))


def _add(report: Report, seen: set, id_technique: str, message: str | None = None) -> None:
    if not id_technique:
        raise AccrochageError(
            _("Le compte rendu contient un passage sans identifiant technique."),
            code="report_invalid",
        )
    if id_technique in seen:
        raise AccrochageError(
            _("Le compte rendu cite deux fois le passage %(id)s.") % {"id": id_technique},
            code="report_invalid",
        )
    seen.add(id_technique)
    if message is None:
        report.accepted.append(id_technique)
    else:
        report.rejected[id_technique] = message


def parse_report(content: bytes) -> Report:
    if len(content) > MAX_REPORT_BYTES:
        raise AccrochageError(_("Le compte rendu dépasse 200 Mo."), code="report_invalid")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise AccrochageError(
            _("Le compte rendu n'est pas un fichier XML lisible (%(error)s).") % {"error": exc},
            code="report_invalid",
        ) from None
    report = Report()
    seen: set[str] = set()
    found = False
    for node in root.iter():
        name = _name(node)
        if name == "idflux" and not report.id_flux:
            report.id_flux = _text(node)
        elif name == "passagesok":
            found = True
            for inner in node.iter():
                if _name(inner) == "idtechnique":
                    _add(report, seen, _text(inner))
        elif name == "passagesko":
            found = True
            _rejected(node, report, seen)
    if not found or not report.ids:
        raise AccrochageError(
            _(
                "Ce fichier n'est pas un compte rendu de traitement : aucun passage accepté ou "
                "rejeté n'y figure."
            ),
            code="report_invalid",
        )
    return report
