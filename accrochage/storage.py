"""Private storage of the accrochage files (fluxes and the portal's reports): under
``MEDIA_ROOT/accrochage/``, never a public URL; downloads go through a permission-checked
view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="accrochage.storage.PrivateAccrochageStorage")
class PrivateAccrochageStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "accrochage")

    def url(self, name):
        raise ValueError("Accrochage files have no public URL: use the download view.")


private_accrochage_storage = PrivateAccrochageStorage()
