"""Request bodies are capped before anything reads them (issue 14, finding 7).

Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only when it parses a form or reads
``request.body``; DRF's JSON parser reads the stream directly, so a 20 MB JSON body used to
be parsed in full. This middleware answers 413 from the declared ``Content-Length``:
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2 MB by default) for every body but a multipart upload,
which may carry one file of ``UPLOAD_MAX_BYTES`` plus the same margin for its other fields
(the file itself is checked again, by content, in ``candidates.filechecks``).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def body_limit(request) -> int:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        limit += settings.UPLOAD_MAX_BYTES
    return limit


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            message = _("Requête trop volumineuse (%(size)s) : la limite est de %(limit)s.") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "request_too_large", "detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
