"""Extra sections of the dossier page, contributed by later apps (evaluations, juries).

An app registers ``provider(request, dossier) -> {"title", "template", "context"} | None``
in its ``AppConfig.ready``; the dossier page shows every section returned, in order, the
template receiving ``data`` (the section's context), as the home page does."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_dossier_section(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def dossier_sections(request, dossier) -> list[dict]:
    sections = []
    for provider in _providers:
        section = provider(request, dossier)
        if section:
            sections.append(section)
    return sections
