"""Validation of a referential document (the JSON format of ``docs/referential-format.md``).

The whole document is checked before anything is written: every error names its place with
a path such as ``blocs[1].competences[0].criteria[3].category``. A valid document comes back
*canonical*: strings stripped, empty optional strings as ``null``, defaults filled in, keys
in the order the exporter writes them — so that comparing a file with what is stored is a
plain ``==``.
"""

import datetime
import re

from django.utils.translation import gettext as _

from cqpm.errors import ReferentialError
from cqpm.models import (
    Bloc,
    Competence,
    Criterion,
    EvaluationModality,
    Qualification,
    ReferentialVersion,
)

FORMAT_VERSION = 1
CATEGORIES = tuple(Criterion.Category.values)  # methods, means, relations, constraints
CONDITIONALS = tuple(Criterion.Conditional.values)  # handicap
STATUSES = tuple(ReferentialVersion.Status.values)
DEFAULT_CREDIT_MONTHS = {"competence": 24, "bloc": 60}
SMALL_INT_MAX = 32767
INT_MAX = 2147483647
MAX_ERRORS = 50
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MISSING = object()  # a required key already reported as missing: no second error


class ReferentialValidationError(ReferentialError):
    """A referential document that cannot be loaded; ``errors`` lists every problem found."""

    default_code = "invalid_referential"

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = self.errors[:MAX_ERRORS]
        lines = [_("Référentiel invalide, rien n'a été chargé :"), *(f"- {e}" for e in shown)]
        if len(self.errors) > MAX_ERRORS:
            lines.append(_("… et %(n)d autres erreurs.") % {"n": len(self.errors) - MAX_ERRORS})
        super().__init__("\n".join(lines))


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("booléen")
    if isinstance(value, int):
        return _("entier")
    if isinstance(value, float):
        return _("nombre décimal")
    if isinstance(value, str):
        return _("texte")
    if isinstance(value, list):
        return _("liste")
    if isinstance(value, dict):
        return _("objet")
    return type(value).__name__


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    """Collects errors while walking the document; each ``check_*`` returns the clean value."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def wrong_type(self, path: str, expected: str, value) -> None:
        self.error(
            path,
            _("type incorrect : %(expected)s attendu, reçu %(got)s")
            % {"expected": expected, "got": _type_name(value)},
        )

    def obj(self, value, path: str, required: tuple, optional: tuple = ()) -> dict | None:
        """An object with its required keys and no unknown key; None when unusable."""
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.wrong_type(path or _("document"), _("objet"), value)
            return None
        for key in required:
            if key not in value:
                self.error(_join(path, key), _("clé obligatoire manquante"))
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.error(
                    path or _("document"),
                    _("clé inconnue « %(key)s » (attendu : %(allowed)s)")
                    % {"key": key, "allowed": ", ".join(allowed)},
                )
        return {**dict.fromkeys(required, MISSING), **value}

    def text(self, value, path: str, *, max_length: int | None = None, optional=False):
        if value is MISSING or (value is None and optional):
            return None
        if not isinstance(value, str):
            self.wrong_type(path, _("texte ou null") if optional else _("texte"), value)
            return None
        value = value.strip()
        if not value:
            if optional:
                return None
            self.error(path, _("texte vide"))
            return None
        if max_length is not None and len(value) > max_length:
            self.error(
                path,
                _("trop long (%(length)d caractères, %(max)d au maximum)")
                % {"length": len(value), "max": max_length},
            )
        return value

    def slug(self, value, path: str, *, max_length: int):
        value = self.text(value, path, max_length=max_length)
        if value is not None and not _SLUG.match(value):
            self.error(
                path,
                _("identifiant invalide « %(value)s » (lettres minuscules, chiffres et tirets)")
                % {"value": value},
            )
        return value

    def boolean(self, value, path: str):
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.wrong_type(path, _("booléen (true ou false)"), value)
            return False
        return value

    def integer(self, value, path: str, *, minimum: int, maximum: int):
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(path, _("entier"), value)
            return None
        if not minimum <= value <= maximum:
            self.error(
                path,
                _("valeur %(value)d hors limites (entre %(min)d et %(max)d)")
                % {"value": value, "min": minimum, "max": maximum},
            )
        return value

    def choice(self, value, path: str, choices: tuple, *, nullable=False):
        if value is MISSING or (value is None and nullable):
            return None
        expected = ", ".join((("null",) if nullable else ()) + choices)
        if not isinstance(value, str):
            self.wrong_type(path, _("texte ou null") if nullable else _("texte"), value)
            return None
        if value not in choices:
            self.error(
                path,
                _("valeur « %(value)s » inconnue (attendu : %(expected)s)")
                % {"value": value, "expected": expected},
            )
            return None
        return value

    def date(self, value, path: str):
        if value is None:
            return None
        if not isinstance(value, str):
            self.wrong_type(path, _("date (AAAA-MM-JJ) ou null"), value)
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            self.error(
                path,
                _("date invalide « %(value)s » (format AAAA-MM-JJ attendu)") % {"value": value},
            )
            return None

    def items(self, value, path: str, *, non_empty: bool) -> list:
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.wrong_type(path, _("liste"), value)
            return []
        if non_empty and not value:
            self.error(path, _("liste vide : au moins un élément attendu"))
        return value

    def text_list(self, value: list, path: str) -> list[str]:
        cleaned = [self.text(item, _join(path, i)) for i, item in enumerate(value)]
        return [item for item in cleaned if item is not None]


def _qualification(c: _Checker, value, path="qualification") -> dict:
    q = c.obj(
        value,
        path,
        required=("slug", "title"),
        optional=(
            "code",
            "rncp_code",
            "level",
            "european_level",
            "rncp_registered",
            "registration_decision_date",
            "certifier",
            "description",
        ),
    )
    if q is None:
        return {}

    def opt(key):
        return c.text(
            q.get(key), _join(path, key), max_length=_max_length(Qualification, key), optional=True
        )

    return {
        "slug": c.slug(q.get("slug"), _join(path, "slug"), max_length=80),
        "code": opt("code"),
        "title": c.text(
            q.get("title"), _join(path, "title"), max_length=_max_length(Qualification, "title")
        ),
        "rncp_code": opt("rncp_code"),
        "level": opt("level"),
        "european_level": opt("european_level"),
        "rncp_registered": c.boolean(
            q.get("rncp_registered", False), _join(path, "rncp_registered")
        ),
        "registration_decision_date": c.date(
            q.get("registration_decision_date"), _join(path, "registration_decision_date")
        ),
        "certifier": opt("certifier"),
        "description": c.text(q.get("description"), _join(path, "description"), optional=True),
    }


def _credit(c: _Checker, value, path="credit_validity_months") -> dict:
    credit = c.obj(value, path, required=("competence", "bloc"))
    if credit is None:
        return dict(DEFAULT_CREDIT_MONTHS)
    return {
        key: c.integer(credit.get(key), _join(path, key), minimum=1, maximum=SMALL_INT_MAX)
        for key in ("competence", "bloc")
    }


def _modalities(c: _Checker, value, path="modalities") -> list[dict]:
    result, seen = [], {}
    for i, item in enumerate(c.items(value, path, non_empty=True)):
        here = _join(path, i)
        m = c.obj(
            item, here, required=("code", "label"), optional=("description", "requires_report")
        )
        if m is None:
            continue
        code = c.slug(
            m.get("code"), _join(here, "code"), max_length=_max_length(EvaluationModality, "code")
        )
        if code is not None and code in seen:
            c.error(
                _join(here, "code"),
                _("code « %(code)s » déjà utilisé par %(other)s")
                % {"code": code, "other": seen[code]},
            )
        elif code is not None:
            seen[code] = here
        result.append(
            {
                "code": code,
                "label": c.text(
                    m.get("label"),
                    _join(here, "label"),
                    max_length=_max_length(EvaluationModality, "label"),
                ),
                "description": c.text(
                    m.get("description"), _join(here, "description"), optional=True
                ),
                "requires_report": c.boolean(
                    m.get("requires_report", False), _join(here, "requires_report")
                ),
            }
        )
    return result


def _criteria(c: _Checker, value, path: str) -> list[dict]:
    result = []
    for i, item in enumerate(c.items(value, path, non_empty=True)):
        here = _join(path, i)
        cr = c.obj(item, here, required=("category", "text"), optional=("conditional",))
        if cr is None:
            continue
        result.append(
            {
                "category": c.choice(cr.get("category"), _join(here, "category"), CATEGORIES),
                "text": c.text(cr.get("text"), _join(here, "text")),
                "conditional": c.choice(
                    cr.get("conditional"), _join(here, "conditional"), CONDITIONALS, nullable=True
                ),
            }
        )
    return result


class _CompetenceRegistry:
    """Competence codes and numbers are unique in a version; a competence has one bloc."""

    def __init__(self, checker: _Checker):
        self.c = checker
        self.codes: dict[str, tuple[str, str, str]] = {}  # code -> (path, bloc code, bloc path)
        self.numbers: dict[int, str] = {}

    def code(self, code, path: str, bloc_code, bloc_path: str) -> None:
        if code is None:
            return
        if code in self.codes:
            other_path, other_bloc, other_bloc_path = self.codes[code]
            if other_bloc_path != bloc_path:
                self.c.error(
                    _join(path, "code"),
                    _(
                        "la compétence « %(code)s » figure déjà dans le bloc « %(bloc)s » "
                        "(%(other)s) : une compétence n'appartient qu'à un seul bloc"
                    )
                    % {"code": code, "bloc": other_bloc, "other": other_path},
                )
            else:
                self.c.error(
                    _join(path, "code"),
                    _("code « %(code)s » déjà utilisé par %(other)s")
                    % {"code": code, "other": other_path},
                )
        else:
            self.codes[code] = (path, bloc_code, bloc_path)

    def number(self, number, path: str) -> None:
        if number is None or isinstance(number, bool) or not isinstance(number, int):
            return
        if number in self.numbers:
            self.c.error(
                _join(path, "number"),
                _("numéro %(number)d déjà utilisé par %(other)s")
                % {"number": number, "other": self.numbers[number]},
            )
        else:
            self.numbers[number] = path


def _competence(c: _Checker, item, here: str) -> dict | None:
    comp = c.obj(
        item,
        here,
        required=("code", "number", "title", "conditions", "criteria", "expected_results"),
        optional=("short_title", "knowledge"),
    )
    if comp is None:
        return None
    title = c.text(
        comp.get("title"), _join(here, "title"), max_length=_max_length(Competence, "title")
    )
    short_title = c.text(
        comp.get("short_title"),
        _join(here, "short_title"),
        max_length=_max_length(Competence, "short_title"),
        optional=True,
    )

    def text_list(key, non_empty):
        values = c.items(comp.get(key, []), _join(here, key), non_empty=non_empty)
        return c.text_list(values, _join(here, key))

    return {
        "code": c.text(
            comp.get("code"), _join(here, "code"), max_length=_max_length(Competence, "code")
        ),
        "number": c.integer(
            comp.get("number"), _join(here, "number"), minimum=1, maximum=SMALL_INT_MAX
        ),
        "title": title,
        "short_title": short_title or title,
        "conditions": text_list("conditions", non_empty=False),
        "criteria": _criteria(c, comp.get("criteria"), _join(here, "criteria")),
        "expected_results": text_list("expected_results", non_empty=True),
        "knowledge": text_list("knowledge", non_empty=False),
    }


def _blocs(c: _Checker, value, path="blocs") -> list[dict]:
    result, bloc_codes = [], {}
    registry = _CompetenceRegistry(c)
    for i, item in enumerate(c.items(value, path, non_empty=True)):
        here = _join(path, i)
        b = c.obj(
            item,
            here,
            required=("code", "title", "competences"),
            optional=("rncp_code", "description"),
        )
        if b is None:
            continue
        code = c.text(b.get("code"), _join(here, "code"), max_length=_max_length(Bloc, "code"))
        if code is not None and code in bloc_codes:
            c.error(
                _join(here, "code"),
                _("code « %(code)s » déjà utilisé par %(other)s")
                % {"code": code, "other": bloc_codes[code]},
            )
        elif code is not None:
            bloc_codes[code] = here
        competences = []
        comp_path = _join(here, "competences")
        for j, comp_item in enumerate(c.items(b.get("competences"), comp_path, non_empty=True)):
            comp_here = _join(comp_path, j)
            competence = _competence(c, comp_item, comp_here)
            if competence is None:
                continue
            registry.code(competence["code"], comp_here, code, here)
            registry.number(competence["number"], comp_here)
            competences.append(competence)
        result.append(
            {
                "code": code,
                "rncp_code": c.text(
                    b.get("rncp_code"),
                    _join(here, "rncp_code"),
                    max_length=_max_length(Bloc, "rncp_code"),
                    optional=True,
                ),
                "title": c.text(
                    b.get("title"), _join(here, "title"), max_length=_max_length(Bloc, "title")
                ),
                "description": c.text(
                    b.get("description"), _join(here, "description"), optional=True
                ),
                "competences": competences,
            }
        )
    return result


def validate_referential(data) -> dict:
    """The canonical form of ``data``, or :class:`ReferentialValidationError` with every error."""
    c = _Checker()
    top = c.obj(
        data,
        "",
        required=("qualification", "version", "blocs", "modalities"),
        optional=("format", "status", "credit_validity_months"),
    )
    if top is None:
        raise ReferentialValidationError(c.errors)
    if top.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        c.error(
            "format",
            _("version de format « %(value)s » non prise en charge (attendu : %(expected)d)")
            % {"value": top.get("format"), "expected": FORMAT_VERSION},
        )
    canonical = {
        "format": FORMAT_VERSION,
        "qualification": _qualification(c, top.get("qualification")),
        "version": c.integer(top.get("version"), "version", minimum=1, maximum=INT_MAX),
        "status": c.choice(top.get("status", ReferentialVersion.Status.DRAFT), "status", STATUSES),
        "credit_validity_months": _credit(
            c, top.get("credit_validity_months", dict(DEFAULT_CREDIT_MONTHS))
        ),
        "modalities": _modalities(c, top.get("modalities")),
        "blocs": _blocs(c, top.get("blocs")),
    }
    if c.errors:
        raise ReferentialValidationError(c.errors)
    return canonical


CONTENT_KEYS = ("credit_validity_months", "modalities", "blocs")


def content_of(canonical: dict) -> dict:
    """The part of a canonical document that a published version freezes."""
    return {key: canonical[key] for key in CONTENT_KEYS}
