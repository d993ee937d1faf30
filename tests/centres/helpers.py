import html


def text(response) -> str:
    """The response body with HTML entities decoded (apostrophes are escaped)."""
    return html.unescape(response.content.decode())
