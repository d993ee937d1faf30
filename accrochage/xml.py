"""The accrochage flux as XML: plain data in (dataclasses), bytes out, and the validation
against the XSD.

Nothing here reads the database: ``accrochage.holders`` turns decisions into these
dataclasses, so the builder and its schema are tested on plain values.

Structure (namespace ``urn:cdc:cpf:pc5:schema:1.0.0``)::

    flux/idFlux, horodatage, emetteur/idClient,
         emetteur/certificateurs/certificateur/idClient, idContrat,
             certifications/certification/type, code, natureDeposant,
                 passageCertifications/passageCertification…

A holder born in France carries the INSEE code of the birth commune; a holder born abroad
carries the INSEE code of the country (99xxx) as the "commune" and, in
``codePaysNaissance``, that code without its "99" (the convention of the open
implementations).
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SHIPPED_XSD = Path(__file__).resolve().parent / "schema" / "accrochage.xsd"
FRANCE = "99100"
MAX_PASSAGES = 200_000  # the portal's limit per file

CREATION = "CREATION"
SUPPRESSION = "SUPPRESSION"

_NIL = f"{{{XSI}}}nil"


@dataclass(frozen=True)
class Holder:
    """The holder's identity, as declared."""

    birth_name: str
    first_name: str
    birth_date: datetime.date
    sex: str  # "M" | "F"
    commune_code: str = ""  # INSEE code of the birth commune (born in France)
    country_code: str = FRANCE  # INSEE code of the birth country (99xxx)
    usage_name: str = ""
    commune_label: str = ""
    country_label: str = ""
    nir: str = ""  # 13 characters (without the key) when known

    @property
    def born_in_france(self) -> bool:
        return (self.country_code or FRANCE) == FRANCE

    @property
    def label(self) -> str:
        return f"{self.birth_name.upper()} {self.first_name}".strip()


@dataclass(frozen=True)
class PassageData:
    id_technique: str
    holder: Holder
    award_date: datetime.date  # dateDebutValidite: the jury date
    access_mode: str  # modaliteAcces ("" → nil)
    action: str = CREATION


@dataclass(frozen=True)
class CertificationData:
    code: str
    passages: tuple[PassageData, ...]
    type: str = "RNCP"


@dataclass(frozen=True)
class FluxData:
    id_flux: str
    timestamp: datetime.datetime  # aware
    emitter_id: str
    certifier_id: str
    contract_id: str
    nature: str  # CERTIFICATEUR | TIERS_CONFIANCE
    certifications: tuple[CertificationData, ...] = field(default_factory=tuple)

    @property
    def passage_count(self) -> int:
        return sum(len(c.passages) for c in self.certifications)


def _el(parent, name, text=None, *, nil=False):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if nil:
        node.set(_NIL, "true")
    elif text is not None:
        node.text = str(text)
    return node


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("horodatage needs an aware datetime")
    return moment.replace(microsecond=0).isoformat()


def _holder(parent, holder: Holder) -> None:
    identification = _el(parent, "identificationTitulaire")
    if holder.nir:
        national = _el(identification, "identifiantNational")
        _el(national, "nir", holder.nir[:13])
        _el(national, "nomNaissance", holder.birth_name[:60])
    titulaire = _el(identification, "titulaire")
    _el(titulaire, "nomNaissance", holder.birth_name[:60])
    if holder.usage_name and holder.usage_name.upper() != holder.birth_name.upper():
        _el(titulaire, "nomUsage", holder.usage_name[:60])
    else:
        _el(titulaire, "nomUsage", nil=True)
    _el(titulaire, "prenom1", holder.first_name[:60])
    _el(titulaire, "anneeNaissance", f"{holder.birth_date.year:04d}")
    _el(titulaire, "moisNaissance", f"{holder.birth_date.month:02d}")
    _el(titulaire, "jourNaissance", f"{holder.birth_date.day:02d}")
    _el(titulaire, "sexe", holder.sex)
    commune = _el(titulaire, "codeCommuneNaissance")
    insee = _el(commune, "codeInseeNaissance")
    code = holder.commune_code if holder.born_in_france else holder.country_code
    _el(insee, "codeInsee", code)
    if holder.commune_label and holder.born_in_france:
        _el(titulaire, "libelleCommuneNaissance", holder.commune_label[:80])
    if not holder.born_in_france:
        _el(titulaire, "codePaysNaissance", holder.country_code[2:])
        if holder.country_label:
            _el(titulaire, "libellePaysNaissance", holder.country_label[:80])


def _passage(parent, passage: PassageData) -> None:
    node = _el(parent, "passageCertification")
    _el(node, "idTechnique", passage.id_technique)
    _el(node, "action", passage.action)
    _el(node, "obtentionCertification", "PAR_ADMISSION")
    _el(node, "donneeCertifiee", _bool(True))
    _el(node, "dateDebutValidite", passage.award_date.isoformat())
    _el(node, "dateFinValidite", nil=True)
    _el(node, "presenceNiveauLangueEuro", _bool(False))
    _el(node, "presenceNiveauNumeriqueEuro", _bool(False))
    _el(node, "scoring", nil=True)
    _el(node, "mentionValidee", nil=True)
    modalities = _el(node, "modalitesInscription")
    if passage.access_mode:
        _el(modalities, "modaliteAcces", passage.access_mode)
    else:
        _el(modalities, "modaliteAcces", nil=True)
    _holder(node, passage.holder)


def build_tree(flux: FluxData) -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}flux", nsmap={"cpf": NAMESPACE, "xsi": XSI})
    _el(root, "idFlux", flux.id_flux)
    _el(root, "horodatage", _timestamp(flux.timestamp))
    emitter = _el(root, "emetteur")
    _el(emitter, "idClient", flux.emitter_id)
    certifier = _el(_el(emitter, "certificateurs"), "certificateur")
    _el(certifier, "idClient", flux.certifier_id)
    _el(certifier, "idContrat", flux.contract_id)
    certifications = _el(certifier, "certifications")
    for certification in flux.certifications:
        node = _el(certifications, "certification")
        _el(node, "type", certification.type)
        _el(node, "code", certification.code)
        _el(node, "natureDeposant", flux.nature)
        passages = _el(node, "passageCertifications")
        for passage in certification.passages:
            _passage(passages, passage)
    return root


def build_flux(flux: FluxData) -> bytes:
    """The flux as UTF-8 bytes, with its XML declaration (not validated: see
    :func:`validate`)."""
    return etree.tostring(
        build_tree(flux), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


# --- validation ---------------------------------------------------------------------------


def schema_path() -> Path:
    """The official XSD when ``ACCROCHAGE_XSD_PATH`` names one, else the shipped one."""
    configured = getattr(settings, "ACCROCHAGE_XSD_PATH", "")
    return Path(configured) if configured else SHIPPED_XSD


@lru_cache(maxsize=4)
def _schema(path: str, mtime: float) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(path, parser))


def load_schema(path: Path | None = None) -> etree.XMLSchema:
    path = path or schema_path()
    return _schema(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class SchemaProblem:
    holder: str  # "" when the problem is outside a passage
    id_technique: str
    field: str
    message: str

    def __str__(self) -> str:
        where = _("%(holder)s (%(id)s)") % {"holder": self.holder, "id": self.id_technique}
        if not self.holder:
            where = _("En-tête du fichier")
        return _("%(where)s : champ « %(field)s » refusé (%(message)s)") % {
            "where": where,
            "field": self.field,
            "message": self.message,
        }


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _passage_of(node):
    while node is not None and _local(node.tag) != "passageCertification":
        node = node.getparent()
    return node


def _holder_label(passage) -> str:
    ns = {"cpf": NAMESPACE}
    name = passage.findtext("cpf:identificationTitulaire/cpf:titulaire/cpf:nomNaissance", "", ns)
    first = passage.findtext("cpf:identificationTitulaire/cpf:titulaire/cpf:prenom1", "", ns)
    return f"{name} {first}".strip() or "?"


def _at_path(document, path):
    if not path:
        return None
    try:
        found = document.getroottree().xpath(path, namespaces={"cpf": NAMESPACE})
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def validate(content: bytes, schema: etree.XMLSchema | None = None) -> list[SchemaProblem]:
    """The problems of ``content`` against the XSD (empty: valid). Each names the holder
    (from the passage the faulty element sits in) and the field."""
    schema = schema or load_schema()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    document = etree.fromstring(content, parser)
    if schema.validate(document):
        return []
    by_line: dict[int, list] = {}
    for node in document.iter():
        by_line.setdefault(node.sourceline, []).append(node)
    problems = []
    for error in schema.error_log:
        nodes = by_line.get(error.line) or [None]
        node = nodes[-1]
        field_name = _local(node.tag) if node is not None else "?"
        # libxml2 names the element in its message ("Element '{ns}sexe': …"): prefer it
        found = _at_path(document, error.path)
        if found is not None:
            node = found
            field_name = _local(node.tag)
        passage = _passage_of(node)
        message = error.message.split(": ", 1)[-1] if ": " in error.message else error.message
        if passage is None:
            problems.append(SchemaProblem("", "", field_name, message))
        else:
            ns = {"cpf": NAMESPACE}
            problems.append(
                SchemaProblem(
                    _holder_label(passage),
                    passage.findtext("cpf:idTechnique", "", ns),
                    field_name,
                    message,
                )
            )
    return problems
