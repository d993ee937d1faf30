"""Private storage of generated PDFs: files under ``MEDIA_ROOT/documents/``, never a URL.

Every download goes through a permission-checked view (``documents.views.download`` or the
API ``download`` verb); the storage refuses to build a public URL so that no template can
leak one by accident.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="documents.storage.PrivateDocumentStorage")
class PrivateDocumentStorage(FileSystemStorage):
    # Follows MEDIA_ROOT (FileSystemStorage clears this cache when the setting changes).
    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "documents")

    def url(self, name):
        raise ValueError("Generated documents have no public URL: use the download view.")


private_document_storage = PrivateDocumentStorage()
