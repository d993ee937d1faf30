from core.errors import DomainError


class DossierError(DomainError):
    """Every refusal of the candidates app (registration, dossier, documents, import)."""

    default_code = "dossier_invalid"


class PossibleDuplicate(DossierError):
    """A candidate with the same names and birth date exists: a warning the user confirms."""

    default_code = "possible_duplicate"

    def __init__(self, message, duplicates=(), code=None):
        super().__init__(message, code)
        self.duplicates = list(duplicates)
