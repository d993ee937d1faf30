"""Every PDF template rendered from a sample context; what a reader must find is found."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from documents import samples
from documents.builders import qr_data_uri
from documents.contexts import CentreHeader
from documents.rendering import ForbiddenResource, StaticOnlyURLFetcher, render_pdf


def pdf_text(pdf: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], reader


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render_sample(kind):
    template, context = samples.SAMPLES[kind]()
    pages, reader = pdf_text(render_pdf(template, context))
    return pages, reader, context


def embedded_fonts(reader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_certificate_carries_every_mandatory_mention():
    pages, reader, ctx = render_sample("certificate")
    assert len(pages) == 1
    text = flat(pages[0])
    assert "Manager de secteur d'activités" in text
    assert "Certificat de qualification paritaire de la métallurgie".upper() in text
    assert ctx.holder.full_name in text  # "Camille MARTIN-001"
    assert "1 janvier 1990" in text and "Villeurbanne" in text
    # RNCP registration and France Compétences decision date, unknown → "à renseigner"
    assert "Répertoire national des certifications professionnelles (RNCP)" in text
    assert "par décision de France Compétences du à renseigner" in text
    assert "Certificateur : à renseigner" in text
    assert "(cadre national des certifications professionnelles)" in text
    assert "(cadre européen des certifications)" in text
    assert "Fait à Lyon, le 25 juin 2026" in text
    assert "jury paritaire du 18 juin 2026" in text
    assert "Anne Lefèvre" in text and "Présidente du jury paritaire" in text
    assert "UIMM-LYON-2026-000123" in text
    assert "Code de vérification : 7K2QD-M9XAB" in text
    assert "https://parchemin.example.org/verifier/7K2QD-M9XAB/" in text.replace(" ", "")
    assert "page 1 / 1" in text
    assert "UIMM Lyon-Rhône" in text  # centre in the header


def test_certificate_draws_the_qr_code_of_its_verification_url():
    template, ctx = samples.SAMPLES["certificate"]()
    assert ctx.qr_data_uri == qr_data_uri(ctx.verification_url)
    assert ctx.qr_data_uri.startswith("data:image/svg+xml")
    with_qr = PdfReader(io.BytesIO(render_pdf(template, ctx))).pages[0].get_contents().get_data()
    ctx.qr_data_uri = ""
    without = PdfReader(io.BytesIO(render_pdf(template, ctx))).pages[0].get_contents().get_data()
    # the QR code is drawn as vector paths: hundreds of modules more in the content stream
    assert len(with_qr) > len(without) + 2000


def test_known_rncp_mentions_are_printed():
    import datetime

    template, ctx = samples.SAMPLES["certificate"]()
    ctx.qualification.rncp_number = "RNCP12345"
    ctx.france_competences_decision_date = datetime.date(2024, 3, 28)
    ctx.level_national = "Niveau 5"
    ctx.level_european = "EQF 5"
    ctx.certifier = "UIMM"
    text = flat(pdf_text(render_pdf(template, ctx))[0][0])
    assert "RNCP12345" in text
    assert "France Compétences du 28 mars 2024" in text
    assert "Niveau 5" in text and "EQF 5" in text
    assert "à renseigner" not in text.split("Code du CQPM")[0]


def test_certificate_uses_shipped_fonts_only():
    _pages, reader, _ctx = render_sample("certificate")
    fonts = embedded_fonts(reader)
    assert fonts, "no font embedded"
    # the families declared by @font-face on static/fonts/*.ttf, not system fonts
    assert all("+Parchemin-" in font for font in fonts), fonts
    assert Path(settings.BASE_DIR, "static/fonts/LICENSE-DejaVu.txt").is_file()


def test_attestation_says_it_covers_only_the_listed_blocs():
    pages, _reader, ctx = render_sample("attestation")
    text = flat(" ".join(pages))
    assert "ATTESTATION DE VALIDATION PARTIELLE" in text
    assert "porte uniquement sur les blocs de compétences et les compétences énumérés" in text
    assert "ne vaut pas délivrance du certificat" in text
    assert "B1 La construction de l'organisation de son secteur" in text
    assert "B2" not in text.split("Toutes les compétences")[0].split("Compétences validées")[1]
    assert ctx.holder.full_name in text
    assert "Code de vérification : 7K2QD-M9XAB" in text


def test_jury_minutes_composition_attendance_decisions_signatures():
    pages, _reader, ctx = render_sample("jury_minutes")
    text = flat(" ".join(pages))
    assert "Procès-verbal de délibération du jury paritaire" in text
    assert "Collège employeurs" in text and "Collège salariés" in text
    assert "Président(e) du jury, voix prépondérante" in text
    assert "Olivier Faure Membre Absent(e)" in text
    assert "5 membres présents ; quorum requis : 4" in text
    assert "Le quorum est atteint" in text
    for decision in ctx.decisions:
        assert decision.candidate.full_name in text
    assert "Validation partielle" in text and "CQPM délivré" in text
    assert "12 décisions prises" in text
    assert "Signatures des membres présents" in text
    signatures = text.split("Signatures des membres présents")[1]
    assert "Sophie Morel" in signatures and "Olivier Faure" not in signatures
    assert f"page 1 / {len(pages)}" in flat(pages[0])


def test_jury_minutes_of_200_candidates_paginate_with_header_and_numbers():
    ctx = samples.jury_minutes(candidates=200)
    pages, _reader = pdf_text(render_pdf("documents/pdf/jury_minutes.html", ctx))
    total = len(pages)
    assert 6 <= total <= 14, total
    for number, page in enumerate(pages, start=1):
        page_text = flat(page)
        assert f"page {number} / {total}" in page_text
        assert "UIMM Lyon-Rhône" in page_text
    # the decisions table header repeats on every page that continues it
    assert "Candidat" in flat(pages[2]) and "Décision" in flat(pages[2])
    text = flat(" ".join(pages))
    assert ctx.decisions[0].candidate.full_name in text
    assert ctx.decisions[-1].candidate.full_name in text
    assert "200 décisions prises" in text
    assert "Signatures des membres présents" in flat(pages[-1])


def test_result_letter_partial():
    pages, _reader, ctx = render_sample("result_letter")
    text = flat(" ".join(pages))
    assert ctx.candidate.full_name in text and "69002 Lyon" in text
    assert "ne vous est pas délivré" in text
    assert "C1 — Définir l'organisation" in text
    assert "Compétences restant à acquérir" in text and "C6 —" in text
    assert "jusqu'au 18 juin 2028" in text  # competences kept 24 months
    assert "jusqu'au 18 juin 2031" in text  # blocs kept 5 years
    assert "Blocs de compétences validés" in text


def test_result_letter_awarded_and_blocs_hidden_without_rncp():
    template = "documents/pdf/result_letter.html"
    ctx = samples.result_letter("awarded")
    text = flat(" ".join(pdf_text(render_pdf(template, ctx))[0]))
    assert "vous est délivré" in text
    ctx = samples.result_letter("partial")
    ctx.rncp_registered = False
    text = flat(" ".join(pdf_text(render_pdf(template, ctx))[0]))
    assert "Blocs de compétences validés" not in text


def test_convocation():
    pages, _reader, ctx = render_sample("convocation")
    text = flat(" ".join(pages))
    assert ctx.candidate.full_name in text
    assert "mardi 12 mai 2026" in text and "09h00 – 12h30" in text
    assert "Société Alpha, atelier 3" in text
    assert "Présentation de projets ou activités réalisés en milieu professionnel" in text
    assert "au plus tard le 28 avril 2026" in text
    assert "Temps de présentation majoré d'un tiers" in text
    assert "page 1 / " in text


def test_evaluation_grid():
    pages, _reader, ctx = render_sample("evaluation_grid")
    text = flat(" ".join(pages))
    assert ctx.candidate.full_name in text
    for heading in samples.HEADINGS:
        assert heading in text
    assert "Non applicable" in text and "en cas de handicap déclaré" in text
    assert "Proposition de la commission : Non acquis" in text
    assert "Éric Blanc" in text and "Signé le 12 mai 2026 à 17h05" in text
    assert f"page {len(pages)} / {len(pages)}" in text


def test_company_opinion():
    pages, _reader, ctx = render_sample("company_opinion")
    text = flat(" ".join(pages))
    assert "Avis de l'entreprise" in text
    assert "Société Alpha" in text and "Pierre Vidal (Tuteur)" in text
    assert "Réservé" in text and "Indicateurs encore incomplets" in text


def test_centre_logo_is_inlined(tmp_path):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
        b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )

    class Logo:
        name = "centres/logos/logo.png"

        def __bool__(self):
            return True

        def open(self, mode):
            return io.BytesIO(png)

    class Centre:
        name, address, city, logo = "UIMM Test", "", "Lyon", Logo()

    header = CentreHeader.from_centre(Centre())
    assert header.logo_data_uri.startswith("data:image/png;base64,")
    template, ctx = samples.SAMPLES["company_opinion"]()
    ctx.centre = header
    reader = PdfReader(io.BytesIO(render_pdf(template, ctx)))
    assert len(list(reader.pages[0].images)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/logo.png",
        "http://127.0.0.1:6379/",
        "ftp://example.org/x",
    ],
)
def test_url_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ForbiddenResource):
        StaticOnlyURLFetcher().fetch(url)


def test_url_fetcher_refuses_escaping_the_static_dir():
    css = Path(settings.BASE_DIR, "static/css/pdf.css").resolve()
    sneaky = css.parent.as_uri() + "/../../pyproject.toml"
    with pytest.raises(ForbiddenResource):
        StaticOnlyURLFetcher().fetch(sneaky)
    response = StaticOnlyURLFetcher().fetch(css.as_uri())
    assert b"@font-face" in response.read()


def test_remote_resource_in_a_template_is_not_fetched(monkeypatch):
    """A template (or a value in it) pointing outside is rendered without the resource."""
    from documents import rendering

    fetched = []
    original = rendering.StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(rendering.StaticOnlyURLFetcher, "fetch", spy)
    html = '<html><body><img src="file:///etc/hostname"><p>Bonjour</p></body></html>'
    reader = PdfReader(io.BytesIO(rendering.html_to_pdf(html)))
    assert "Bonjour" in reader.pages[0].extract_text()
    assert fetched == ["file:///etc/hostname"]
    assert not list(reader.pages[0].images)
