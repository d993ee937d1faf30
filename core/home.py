"""What each role finds on its home page. Each app contributes its own section.

A section is a dict ``{"title", "template", "context"}``; apps register a provider with
:func:`register_home_section` (in their ``AppConfig.ready``) so that this module never
imports the later apps.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register_home_section(provider: Callable) -> Callable:
    """Register ``provider(request) -> dict | None``; returns it (usable as a decorator)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def home_sections(request) -> list[dict]:
    sections = []
    for provider in _providers:
        section = provider(request)
        if section:
            sections.append(section)
    return sections
