"""The permission matrix: a declarative registry of every HTML view and API endpoint.

Each test package declares ``ENTRIES`` in its ``matrix.py`` (``tests/<app>/matrix.py``);
``tests/test_permission_matrix.py`` turns every entry into these checks:

- anonymous → the login page (HTML) or 401 (API); ``public`` entries → the expected status;
- a user of the *other* centre holding an allowed role → 404 on an object URL, and on a
  list URL a 200 that does not contain the centre-A row's ``marker``;
- every role of centre A that is not allowed → 403 (or 404 where the role may not even see
  the object: ``hidden_from``);
- every allowed role → ``status``.

A meta-test fails when a named URL of the project has no entry (``uncovered_url_names``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

ALL_ROLES = ("centre_admin", "staff", "assessor", "juror", "company_rep", "national_admin")
CENTRE_ROLES = ALL_ROLES[:-1]
STAFF_ROLES = ("centre_admin", "staff")

# URL names that are not the project's to check: Django's own admin (guarded by Django's
# staff flag and model permissions) and the language switch (a POST anyone may make).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


@dataclass
class Entry:
    name: str
    allowed: tuple[str, ...]
    method: str = "get"
    kwargs: Callable | None = None  # (world) -> dict of URL kwargs, objects in centre A
    data: Callable | None = None  # (world) -> request body for POST/PUT/PATCH
    marker: Callable | None = None  # (world) -> text of a centre-A row (lists)
    setup: Callable | None = None  # (world) -> None: builds centre-A rows before the request
    status: int = 200
    public: bool = False  # anonymous users may use it too
    hidden_from: tuple[str, ...] = ()  # roles that get 404 rather than 403
    query: str = ""  # appended to the URL, e.g. "?q=texte"
    label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def is_object(self) -> bool:
        return self.kwargs is not None

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'[' + self.label + ']' if self.label else ''}"


MATRIX_MODULES = [
    "tests.core.matrix",
    "tests.cqpm.matrix",
    "tests.centres.matrix",
    "tests.candidates.matrix",
    "tests.evaluations.matrix",
    "tests.juries.matrix",
    "tests.documents.matrix",
    "tests.accrochage.matrix",
]


def all_entries() -> list[Entry]:
    entries: list[Entry] = []
    for module_name in MATRIX_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        entries.extend(module.ENTRIES)
    return entries


def project_url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL of the project, as ``namespace:name``."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= project_url_names(pattern, child_ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.name in EXCLUDED_NAMES:
                continue
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def uncovered_url_names(entries=None, resolver=None) -> set[str]:
    covered = {entry.name for entry in (entries if entries is not None else all_entries())}
    return project_url_names(resolver) - covered
