"""The base of every app's domain exception.

Each app defines one subclass (``DossierError``, ``EvaluationError``…). It carries a
translatable message and a stable ``code``: the API edge turns it into a 400
``{"code": …, "detail": …}``, the UI into a form error or a message.
"""


class DomainError(Exception):
    default_code = "invalid"
    status_code = 400

    def __init__(self, message, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code


class StaleVersionError(DomainError):
    """Concurrent edit refused: the client sent an outdated version (HTTP 412 on the API)."""

    default_code = "stale_version"
    status_code = 412
