"""Small facts read off the HTTP request."""


def client_ip(request, *, header: str = "") -> str | None:
    """The client's address: ``header`` (a ``request.META`` key a reverse proxy sets, first
    value) when given and present, else ``REMOTE_ADDR``; None when unknown."""
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
