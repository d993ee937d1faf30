"""Main navigation: each app registers its entries with the capability they need.

Apps call :func:`register_nav_item` in their ``AppConfig.ready``; the context processor
``core.context_processors.active_centre`` shows the entries the actor may use.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    capabilities: tuple[str, ...]  # any of them shows the entry; empty = every centre member
    order: int = 100


_items: list[NavItem] = []


def register_nav_item(label, url_name, *capabilities, order=100) -> None:
    item = NavItem(label, url_name, tuple(capabilities), order)
    if item not in _items:
        _items.append(item)


def nav_items_for(actor) -> list[dict]:
    if actor is None or actor.centre is None:
        return []
    visible = [
        item
        for item in sorted(_items, key=lambda i: i.order)
        if not item.capabilities or any(actor.can(c) for c in item.capabilities)
    ]
    return [{"label": item.label, "url": reverse(item.url_name)} for item in visible]
