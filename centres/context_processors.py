def active_centre(request):
    actor = getattr(request, "actor", None)
    return {"actor": actor, "active_centre": getattr(actor, "centre", None)}
