"""Maximum lengths of the free-text fields (issue 14, finding 7).

Every text a user types reaches pages, exports and PDFs: a 1 MB session note once cost the
convocation 30 s of worker CPU. Django does not enforce a ``TextField``'s ``max_length`` in
the database, so the limit is carried by the model field (``full_clean``), the model forms
and the DRF serializers built from it (the OpenAPI schema then says ``maxLength``), and by
the hand-written form and serializer fields, which take these constants.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

TEXT_SHORT = 2000  # a reason, a comment on one criterion, a detail
TEXT_LONG = 5000  # notes, observations, a general comment, a justification, accommodations
TEXT_ADDRESS = 500  # a postal address; sites of a company, one per line
TEXT_REFERENTIAL = 20000  # descriptions of the national referential (loaded from its file)
TEXT_SEARCH = 2 * TEXT_REFERENTIAL  # the folded copy of a criterion kept for searching
SEARCH_QUERY = 200  # a search box


class BoundedTextField(models.TextField):
    """A ``TextField`` whose ``max_length`` is also checked by ``full_clean`` (Django gives a
    ``TextField`` no ``MaxLengthValidator``: only its form field would check it)."""

    @cached_property
    def validators(self):
        extra = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *extra]
