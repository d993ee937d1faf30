from core.navigation import nav_items_for


def active_centre(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "active_centre": getattr(actor, "centre", None),
        "nav_items": nav_items_for(actor),
    }
