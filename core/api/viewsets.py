"""The base of the API's versioned resources: ``retrieve`` answers with the ``ETag``, ``update``
reads the edited version (``If-Match`` or ``version``; 428 when absent) and leaves the write
to the app's service, which answers 412 on a stale version."""

from rest_framework import status
from rest_framework.response import Response

from core.api.versioning import expected_version, with_etag


class VersionedMixin:
    """For a ``GenericViewSet`` whose records carry a ``version``. The viewset implements
    ``save_update(obj, validated_data, version)``: call the service, return the record to
    show."""

    def fetch_for_response(self, obj):
        """The record as the answer shows it (a viewset whose serializer reads annotations
        or prefetches reads it again here)."""
        return obj

    def versioned_response(self, obj, status_code=status.HTTP_200_OK):
        obj = self.fetch_for_response(obj)
        return with_etag(Response(self.get_serializer(obj).data, status=status_code), obj)

    def retrieve(self, request, *args, **kwargs):
        return self.versioned_response(self.get_object())

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        version = expected_version(request)
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.save_update(obj, serializer.validated_data, version)
        return self.versioned_response(obj)

    def save_update(self, obj, validated_data, version):
        """The hook each viewset defines (its service call); a viewset that forgets it fails
        on its first update, loudly, rather than saving anything by the serializer."""
        raise NotImplementedError(f"{type(self).__name__} must define save_update()")
