"""The XML layer on plain data: every access route, holders born in France and abroad, the
NIR cut to 13 characters, and the refusals that name the holder and the field."""

import datetime

import pytest
from lxml import etree

from accrochage import xml
from accrochage.dates import add_months, deadline, overdue_cutoff
from accrochage.holders import ACCESS_MODES, first_name
from candidates.models import AccessStatus

NS = {"cpf": xml.NAMESPACE}
PARIS = datetime.timezone(datetime.timedelta(hours=1))


def _holder(**kw):
    values = {
        "birth_name": "MARTIN",
        "first_name": "Jeanne",
        "birth_date": datetime.date(1990, 5, 4),
        "sex": "F",
        "commune_code": "69123",
        "commune_label": "Lyon",
    }
    return xml.Holder(**{**values, **kw})


def _flux(*passages):
    return xml.FluxData(
        id_flux="PARCH-1-20261203140500-abcdef",
        timestamp=datetime.datetime(2026, 12, 3, 14, 5, tzinfo=PARIS),
        emitter_id="UIMM0001",
        certifier_id="UIMM0001",
        contract_id="MCFCER000123",
        nature="CERTIFICATEUR",
        certifications=(xml.CertificationData(code="RNCP35000", passages=tuple(passages)),),
    )


def _passage(n=1, holder=None, mode=ACCESS_MODES[AccessStatus.EMPLOYEE], action=xml.CREATION):
    return xml.PassageData(
        id_technique=f"PARCH-1-{n}",
        holder=holder or _holder(),
        award_date=datetime.date(2026, 6, 15),
        access_mode=mode,
        action=action,
    )


def _tree(content):
    return etree.fromstring(content)


@pytest.mark.parametrize("route", list(AccessStatus))
def test_every_access_route_validates_against_the_shipped_schema(route):
    content = xml.build_flux(_flux(_passage(mode=ACCESS_MODES[route])))
    assert xml.validate(content, xml.load_schema(xml.SHIPPED_XSD)) == []
    assert _tree(content).findtext(".//cpf:modaliteAcces", namespaces=NS) == ACCESS_MODES[route]


def test_the_mapping_of_access_routes():
    assert ACCESS_MODES == {
        "salarie": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "demandeur_emploi": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "contrat_pro": "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        "apprenti": "FORMATION_INITIALE_APPRENTISSAGE",
        "vae": "VAE",
        "candidat_libre": "CANDIDAT_LIBRE",
    }


def test_a_holder_born_in_france_carries_the_commune_code():
    content = xml.build_flux(_flux(_passage()))
    assert xml.validate(content) == []
    titulaire = _tree(content).find(".//cpf:titulaire", NS)
    assert (
        titulaire.findtext(
            "cpf:codeCommuneNaissance/cpf:codeInseeNaissance/cpf:codeInsee", namespaces=NS
        )
        == "69123"
    )
    assert titulaire.findtext("cpf:libelleCommuneNaissance", namespaces=NS) == "Lyon"
    assert titulaire.find("cpf:codePaysNaissance", NS) is None
    assert [
        titulaire.findtext(f"cpf:{n}", namespaces=NS)
        for n in ("anneeNaissance", "moisNaissance", "jourNaissance", "sexe")
    ] == ["1990", "05", "04", "F"]


def test_a_holder_born_abroad_carries_the_country_code():
    holder = _holder(
        commune_code="",
        commune_label="Madrid",
        country_code="99134",
        country_label="Espagne",
        sex="M",
    )
    content = xml.build_flux(_flux(_passage(holder=holder)))
    assert xml.validate(content) == []
    titulaire = _tree(content).find(".//cpf:titulaire", NS)
    assert titulaire.findtext(".//cpf:codeInsee", namespaces=NS) == "99134"
    assert titulaire.findtext("cpf:codePaysNaissance", namespaces=NS) == "134"
    assert titulaire.findtext("cpf:libellePaysNaissance", namespaces=NS) == "Espagne"


def test_the_nir_is_cut_to_13_characters():
    content = xml.build_flux(_flux(_passage(holder=_holder(nir="290056912345678"))))
    assert xml.validate(content) == []
    assert _tree(content).findtext(".//cpf:identifiantNational/cpf:nir", namespaces=NS) == (
        "2900569123456"
    )


def test_without_nir_no_national_identifier():
    content = xml.build_flux(_flux(_passage()))
    assert _tree(content).find(".//cpf:identifiantNational", NS) is None


def test_the_fixed_fields_of_a_whole_cqpm_award():
    content = xml.build_flux(_flux(_passage(), _passage(2, action=xml.SUPPRESSION)))
    assert xml.validate(content) == []
    root = _tree(content)
    assert root.findtext("cpf:horodatage", namespaces=NS) == "2026-12-03T14:05:00+01:00"
    first = root.find(".//cpf:passageCertification", NS)
    values = {
        n: first.findtext(f"cpf:{n}", namespaces=NS)
        for n in (
            "idTechnique",
            "action",
            "obtentionCertification",
            "donneeCertifiee",
            "dateDebutValidite",
            "presenceNiveauLangueEuro",
            "presenceNiveauNumeriqueEuro",
        )
    }
    assert values == {
        "idTechnique": "PARCH-1-1",
        "action": "CREATION",
        "obtentionCertification": "PAR_ADMISSION",
        "donneeCertifiee": "true",
        "dateDebutValidite": "2026-06-15",
        "presenceNiveauLangueEuro": "false",
        "presenceNiveauNumeriqueEuro": "false",
    }
    nil = f"{{{xml.XSI}}}nil"
    for name in ("dateFinValidite", "scoring", "mentionValidee"):
        assert first.find(f"cpf:{name}", NS).get(nil) == "true"
    actions = root.xpath("//cpf:passageCertification/cpf:action/text()", namespaces=NS)
    assert actions == ["CREATION", "SUPPRESSION"]
    assert root.findtext(".//cpf:certification/cpf:type", namespaces=NS) == "RNCP"
    assert root.findtext(".//cpf:certification/cpf:code", namespaces=NS) == "RNCP35000"


def test_a_usage_name_is_declared_and_a_long_name_cut_to_60():
    holder = _holder(birth_name="A" * 70, usage_name="DURAND")
    content = xml.build_flux(_flux(_passage(holder=holder)))
    assert xml.validate(content) == []
    titulaire = _tree(content).find(".//cpf:titulaire", NS)
    assert titulaire.findtext("cpf:nomNaissance", namespaces=NS) == "A" * 60
    assert titulaire.findtext("cpf:nomUsage", namespaces=NS) == "DURAND"


def test_a_schema_refusal_names_the_holder_and_the_field():
    bad = _holder(birth_name="GARCIA", first_name="Luis", sex="X")
    content = xml.build_flux(_flux(_passage(), _passage(2, holder=bad)))
    problems = xml.validate(content)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.holder, problem.id_technique, problem.field) == (
        "GARCIA Luis",
        "PARCH-1-2",
        "sexe",
    )
    assert "GARCIA Luis (PARCH-1-2)" in str(problem) and "« sexe »" in str(problem)


def test_a_header_refusal_says_so():
    flux = _flux(_passage())
    content = xml.build_flux(xml.FluxData(**{**flux.__dict__, "certifier_id": "TROPLONG123"}))
    problems = xml.validate(content)
    assert problems and problems[0].field == "idClient"
    assert str(problems[0]).startswith("En-tête du fichier")


def test_the_configured_official_schema_is_used(settings, tmp_path):
    strict = xml.SHIPPED_XSD.read_text().replace('<xs:enumeration value="CANDIDAT_LIBRE"/>', "")
    path = tmp_path / "officiel.xsd"
    path.write_text(strict)
    settings.ACCROCHAGE_XSD_PATH = str(path)
    assert xml.schema_path() == path
    content = xml.build_flux(_flux(_passage(mode="CANDIDAT_LIBRE")))
    assert [p.field for p in xml.validate(content)] == ["modaliteAcces"]
    settings.ACCROCHAGE_XSD_PATH = ""
    assert xml.validate(content) == []


def test_first_name_and_deadline_helpers():
    assert first_name("Jean-Pierre Paul") == "Jean-Pierre"
    assert first_name("") == ""
    assert deadline(datetime.date(2026, 11, 30)) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 31), -2) == datetime.date(2025, 11, 30)
    assert overdue_cutoff(datetime.date(2027, 3, 1)) == datetime.date(2026, 12, 1)
