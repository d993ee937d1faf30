"""Bulk registration from a CSV or XLSX file: upload → column mapping → preview of every
row with its errors → all-or-nothing import in one transaction.

The natural key of a candidate is (birth name, first names, birth date) in the centre:
a row whose key is already registered is shown as such and skipped, so re-importing the
same file creates no duplicate. Two rows with the same key in the file are an error.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from candidates.errors import DossierError
from candidates.import_parsing import (  # noqa: F401 - the reading side, re-exported
    Sheet,
    check_uncompressed_size,
    detect_format,
    load_rows,
    parse_now,
    read_file,
)
from candidates.models import AccessStatus, Candidate, CandidateIdentity, CandidateImport, Sex
from candidates.models.birthplace import BIRTH_PLACE_FIELDS, Reference, apply_birth_place
from candidates.models.plausibility import identity_errors, normalise_department
from candidates.nir import validate_nir
from candidates.tasks import enqueue_parse, resume_if_stale  # noqa: F401 - re-exported
from centres.access import require
from centres.models import AuditEntry
from centres.roles import Capability
from core.spreadsheets import csv_bytes, new_workbook, xlsx_bytes, xlsx_sheet


@dataclass(frozen=True)
class Column:
    key: str  # Candidate field (or "nir")
    header: str  # header of the template file
    label: str
    required: bool = False
    max_length: int = 0
    synonyms: tuple[str, ...] = ()


COLUMNS = [
    Column(
        "birth_name",
        "nom_naissance",
        gettext_lazy("Nom de naissance"),
        True,
        120,
        ("nom", "nom de famille", "nom naissance"),
    ),
    Column(
        "usage_name",
        "nom_usage",
        gettext_lazy("Nom d'usage"),
        False,
        120,
        ("nom marital", "nom usage"),
    ),
    Column("first_names", "prenoms", gettext_lazy("Prénoms"), True, 200, ("prenom",)),
    Column("sex", "sexe", gettext_lazy("Sexe"), True, 0, ("genre", "civilite")),
    Column(
        "birth_date",
        "date_naissance",
        gettext_lazy("Date de naissance"),
        True,
        0,
        ("date de naissance", "ne le", "naissance"),
    ),
    Column(
        "birth_commune",
        "commune_naissance",
        gettext_lazy("Commune de naissance"),
        False,
        120,
        ("lieu de naissance", "ville de naissance"),
    ),
    Column(
        "birth_department",
        "departement_naissance",
        gettext_lazy("Département de naissance"),
        False,
        3,
        ("dept naissance",),
    ),
    Column("birth_country", "pays_naissance", gettext_lazy("Pays de naissance"), False, 80),
    Column(
        "email",
        "email",
        gettext_lazy("Courriel"),
        False,
        254,
        ("courriel", "mail", "adresse electronique"),
    ),
    Column("phone", "telephone", gettext_lazy("Téléphone"), False, 30, ("tel", "portable")),
    Column("address", "adresse", gettext_lazy("Adresse"), False, 0, ("adresse postale",)),
    Column(
        "access_status", "statut", gettext_lazy("Statut"), False, 0, ("voie d'acces", "voie acces")
    ),
    Column(
        "nir",
        "nir",
        gettext_lazy("NIR"),
        False,
        0,
        ("numero de securite sociale", "securite sociale", "n secu"),
    ),
    Column(
        "birth_commune_code",
        "code_commune_naissance",
        gettext_lazy("Code INSEE de la commune de naissance"),
        False,
        5,
        ("code commune naissance", "code insee naissance", "codecommunenaissance"),
    ),
    Column(
        "birth_country_code",
        "code_pays_naissance",
        gettext_lazy("Code INSEE du pays de naissance"),
        False,
        5,
        ("code pays naissance", "codepaysnaissance"),
    ),
]
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
ENCODINGS = [
    ("utf-8", gettext_lazy("UTF-8 (recommandé)")),
    ("cp1252", gettext_lazy("Windows (ANSI, anciennes versions d'Excel)")),
]
EXAMPLE_ROW = [
    "MARTIN",
    "",
    "Claire Anne",
    "F",
    "14/03/1988",
    "Saint-Étienne",
    "42",
    "France",
    "claire.martin@example.org",
    "06 12 34 56 78",
    "1 rue de la Paix 42000 Saint-Étienne",
    "salarié",
    "",
    "42218",
    "99100",
]


def normalise(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def natural_key(birth_name, first_names, birth_date):
    return (normalise(birth_name), normalise(first_names), birth_date)


_SEX = {
    "f": Sex.FEMALE,
    "femme": Sex.FEMALE,
    "mme": Sex.FEMALE,
    "madame": Sex.FEMALE,
    "m": Sex.MALE,
    "h": Sex.MALE,
    "homme": Sex.MALE,
    "monsieur": Sex.MALE,
    "mr": Sex.MALE,
}
_STATUS = {normalise(code): code for code in AccessStatus.values}
_STATUS.update({normalise(label): code for code, label in AccessStatus.choices})
_STATUS.update(
    {
        "salarie": AccessStatus.EMPLOYEE,
        "demandeur d emploi": AccessStatus.JOBSEEKER,
        "apprentissage": AccessStatus.APPRENTICE,
        "apprenti": AccessStatus.APPRENTICE,
        "contrat de professionnalisation": AccessStatus.PROFESSIONALISATION,
        "contrat pro": AccessStatus.PROFESSIONALISATION,
        "vae": AccessStatus.VAE,
        "candidat libre": AccessStatus.FREE,
        "libre": AccessStatus.FREE,
    }
)


# --- reading ----------------------------------------------------------------------------


def guess_mapping(headers) -> dict[str, int | None]:
    """Column index of each field, recognised by its header (accents and case ignored)."""
    normalised = [normalise(h) for h in headers]
    mapping = {}
    for column in COLUMNS:
        names = {
            normalise(column.header),
            normalise(column.label),
            *(normalise(s) for s in column.synonyms),
        }
        mapping[column.key] = next((i for i, h in enumerate(normalised) if h in names), None)
    return mapping


def missing_columns(mapping) -> list[str]:
    return [str(c.label) for c in COLUMNS if c.required and mapping.get(c.key) is None]


# --- validating -------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    existing: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def _cell(cells, index, key=None):
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    if isinstance(value, datetime.date):
        # A spreadsheet date is a date only in the birth-date column; elsewhere (a NIR or an
        # e-mail typed where Excel saw a date) it is checked as the text it shows.
        return value if key == "birth_date" else value.strftime("%d/%m/%Y")
    return str(value).strip()


def validate_rows(sheet: Sheet, mapping, existing_keys) -> list[RowResult]:
    results, seen = [], {}
    file_errors = dict(sheet.errors)
    code_column = mapping.get("birth_commune_code")
    reference = Reference.preloaded(  # the communes of the file's codes, in one query
        _cell(cells, code_column).upper() for _line, cells in sheet.rows
    )
    for line, cells in sheet.rows:
        raw = {key: _cell(cells, mapping.get(key), key) for key in COLUMNS_BY_KEY}
        result = RowResult(line=line, values={})
        values = result.values
        for column in COLUMNS:
            value = raw[column.key]
            if column.key == "birth_date":
                continue
            if column.required and not value:
                result.errors.append(_("%(col)s manquant") % {"col": column.label})
            if column.max_length and len(str(value)) > column.max_length:
                result.errors.append(
                    _("%(col)s trop long (%(max)s caractères au plus)")
                    % {"col": column.label, "max": column.max_length}
                )
            values[column.key] = value
        date_raw = raw["birth_date"]
        birth_date = parse_date(date_raw)
        if not date_raw:
            result.errors.append(_("Date de naissance manquante"))
        elif birth_date is None:
            result.errors.append(
                _("Date de naissance « %(v)s » invalide (attendu jj/mm/aaaa)") % {"v": date_raw}
            )
        values["birth_date"] = birth_date
        if values["sex"]:
            sex = _SEX.get(normalise(values["sex"]))
            if sex is None:
                result.errors.append(
                    _("Sexe « %(v)s » non reconnu (F ou M)") % {"v": values["sex"]}
                )
            values["sex"] = sex
        status = values.get("access_status")
        if status:
            values["access_status"] = _STATUS.get(normalise(status))
            if values["access_status"] is None:
                result.errors.append(_("Statut « %(v)s » non reconnu") % {"v": status})
        else:
            values["access_status"] = AccessStatus.EMPLOYEE
        values["birth_country"] = values.get("birth_country") or "France"
        values["birth_department"] = normalise_department(values.get("birth_department", ""))
        result.errors.extend(  # the rules of the registration form (candidates.models.plausibility)
            identity_errors(
                birth_date=birth_date,
                access_status=values["access_status"],
                birth_department=values["birth_department"],
                phone=values.get("phone", ""),
            )
        )
        place = Candidate(**{f: values.get(f, "") for f in BIRTH_PLACE_FIELDS})
        try:  # the codes fill the printed fields, as on the registration form
            apply_birth_place(place, reference)
        except ValidationError as exc:
            result.errors.extend(exc.messages)
        else:
            values.update({f: getattr(place, f) for f in BIRTH_PLACE_FIELDS})
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                result.errors.append(_("Courriel « %(v)s » invalide") % {"v": values["email"]})
        if values.get("nir"):
            try:
                values["nir"] = validate_nir(values["nir"])
            except ValidationError as exc:
                result.errors.append(exc.messages[0])
        if line in file_errors:
            result.errors.append(str(file_errors.pop(line)))
        if values.get("birth_name") and values.get("first_names") and birth_date:
            key = natural_key(values["birth_name"], values["first_names"], birth_date)
            if key in seen:
                result.errors.append(
                    _("Doublon de la ligne %(line)s (mêmes nom, prénoms et date de naissance)")
                    % {"line": seen[key]}
                )
            else:
                seen[key] = line
                result.existing = key in existing_keys
        results.append(result)
    for line, message in sorted(file_errors.items()):  # undecodable lines not in the grid
        results.append(RowResult(line=line, values={}, errors=[str(message)]))
    results.sort(key=lambda r: r.line)
    return results


def existing_keys(centre) -> set:
    return {
        natural_key(b, f, d)
        for b, f, d in Candidate.objects.filter(centre=centre).values_list(
            "birth_name", "first_names", "birth_date"
        )
    }


# --- services ---------------------------------------------------------------------------


def create_import(actor, uploaded_file, encoding: str = "utf-8") -> CandidateImport:
    """Store the file and send the job that reads it once (after commit); a workbook that
    would decompress past ``IMPORT_MAX_UNCOMPRESSED_BYTES`` is refused here, unread."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    require(actor, Capability.REGISTER_CANDIDATES)
    if uploaded_file.size > settings.UPLOAD_MAX_BYTES:
        raise DossierError(_("Fichier trop volumineux."), code="file_too_large")
    content = uploaded_file.read()
    if not content.strip():
        raise DossierError(_("Le fichier est vide."), code="import_empty")
    file_format = detect_format(content)
    if file_format == "xlsx":
        check_uncompressed_size(content)
    batch = CandidateImport(
        centre=actor.centre,
        original_name=uploaded_file.name[:255],
        file_format=file_format,
        created_by=actor.user,
        mapping={"encoding": encoding if encoding in dict(ENCODINGS) else "utf-8"},
        parse_updated_at=timezone.now(),
    )
    with transaction.atomic():
        batch.file.save("import", ContentFile(content), save=False)
        batch.save()
        transaction.on_commit(partial(enqueue_parse, batch.pk))
    return batch


def load(batch) -> Sheet:
    """The parsed rows of the import (read once by the parse job, never re-read here)."""
    return load_rows(batch)


def set_mapping(actor, batch, mapping: dict, encoding: str):
    require(actor, Capability.REGISTER_CANDIDATES)
    missing = missing_columns(mapping)
    if missing:
        raise DossierError(
            _("Colonnes obligatoires non associées : %(cols)s.") % {"cols": ", ".join(missing)},
            code="import_missing_column",
        )
    batch.mapping = {"columns": mapping, "encoding": encoding}
    batch.save(update_fields=["mapping"])


def preview(batch) -> list[RowResult]:
    sheet = load(batch)
    return validate_rows(sheet, batch.mapping.get("columns", {}), existing_keys(batch.centre))


def run_import(actor, batch) -> tuple[int, int]:
    """All or nothing: refuses when any row has an error; skips rows already registered."""
    require(actor, Capability.REGISTER_CANDIDATES)
    with transaction.atomic():
        batch = CandidateImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status == CandidateImport.Status.IMPORTED:
            return batch.created_count, batch.skipped_count
        sheet = load(batch)
        missing = missing_columns(batch.mapping.get("columns", {}))
        if missing:
            raise DossierError(
                _("Colonnes obligatoires non associées : %(cols)s.") % {"cols": ", ".join(missing)},
                code="import_missing_column",
            )
        results = validate_rows(sheet, batch.mapping["columns"], existing_keys(actor.centre))
        bad = [r for r in results if not r.ok]
        if bad:
            raise DossierError(
                ngettext(
                    "%(n)s ligne en erreur : corrigez le fichier puis déposez-le à nouveau. "
                    "Rien n'a été importé.",
                    "%(n)s lignes en erreur : corrigez le fichier puis déposez-le à nouveau. "
                    "Rien n'a été importé.",
                    len(bad),
                )
                % {"n": len(bad)},
                code="import_errors",
            )
        fresh = [r for r in results if not r.existing]
        candidates = [
            Candidate(
                centre=actor.centre,
                created_by=actor.user,
                **{k: v for k, v in r.values.items() if k != "nir"},
            )
            for r in fresh
        ]
        Candidate.objects.bulk_create(candidates, batch_size=1000)
        CandidateIdentity.objects.bulk_create(
            [
                CandidateIdentity(candidate=c, nir=r.values["nir"])
                for c, r in zip(candidates, fresh, strict=True)
                if r.values.get("nir")
            ],
            batch_size=1000,
        )
        batch.status = CandidateImport.Status.IMPORTED
        batch.created_count, batch.skipped_count = len(fresh), len(results) - len(fresh)
        batch.imported_at = timezone.now()
        batch.save(update_fields=["status", "created_count", "skipped_count", "imported_at"])
        AuditEntry.objects.create(
            centre=actor.centre,
            actor=actor.user,
            action="candidate.import",
            subject_type="candidates.candidateimport",
            subject_id=str(batch.pk),
            after={
                "file": batch.original_name,
                "created": batch.created_count,
                "skipped": batch.skipped_count,
            },
        )
    return batch.created_count, batch.skipped_count


# --- template files ---------------------------------------------------------------------


# Through the product's one writer (core.spreadsheets): no cell ever runs as a formula.


def template_csv() -> bytes:
    return csv_bytes([c.header for c in COLUMNS], [EXAMPLE_ROW])


def template_xlsx() -> bytes:
    from openpyxl.styles import Font

    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "Candidats"
    xlsx_sheet(sheet, [[c.header for c in COLUMNS], EXAMPLE_ROW])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 22
    notes = workbook.create_sheet("Aide")
    help_rows = [["colonne", "description", "obligatoire"]]
    help_rows += [[c.header, str(c.label), "oui" if c.required else "non"] for c in COLUMNS]
    help_rows += [
        [],
        ["sexe", "F ou M"],
        ["date_naissance", "jj/mm/aaaa"],
        ["statut", ", ".join(str(label) for _code, label in AccessStatus.choices)],
    ]
    xlsx_sheet(notes, help_rows)
    return xlsx_bytes(workbook)
