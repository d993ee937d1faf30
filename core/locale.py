"""French first: the interface speaks French unless the user chose English.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a centre's staff
on an English-configured workstation would then get English dates in a French interface.
Here only the language cookie set by the language switch (``/i18n/setlang/``) counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
