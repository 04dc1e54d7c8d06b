"""The shell's middleware.

- Chinese first: the language is the one the user chose, else zh-Hans — never a guess from
  the browser's Accept-Language (many browsers in Chinese offices say en-US).
- Signed-in users' pages are not stored (``no-store``); public pages set no cookie.
- A NUL character in a parameter is a bad request (400): PostgreSQL cannot store one, so a
  view that filters or saves the text would otherwise fail with a 500.
- What the audit log writes while a request is served records the client's address
  (``web.client_address``: never a header an outsider can set).
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation

from laurel.web.client_address import client_address, client_address_during


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _cache_directives(response) -> set[str]:
    """The response's Cache-Control directives, names only, lower case."""
    header = response.get("Cache-Control", "")
    return {part.split("=")[0].strip().lower() for part in header.split(",") if part.strip()}


class SignedInNoStoreMiddleware:
    """Nothing a signed-in user is shown is kept by a browser or a proxy: pages and files may
    carry unmasked personal numbers (to the person themself, to personal-data holders), and
    a shared office computer's cache, or its back button after log-out, would show them.

    Every response to a signed-in user becomes ``private, no-store`` — unless the view made it
    ``public`` (the same for everyone: public renditions, cached public pages) or already
    ``no-store`` (downloads of personal data say so themselves: ``never_cache``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # none for static files, served before auth
        signed_in = user is not None and user.is_authenticated
        if signed_in and not _cache_directives(response) & {"public", "no-store"}:
            response["Cache-Control"] = "private, no-store"
        return response


class PublicResponseCookieGuardMiddleware:
    """A response shared caches may keep (``Cache-Control: public``) must set no cookie: a
    proxy would hand one visitor's session, CSRF or language cookie to every other visitor.
    Pages meant to be public render without any (see ``awards.views.public``); a response that
    sets one all the same is made ``private`` here: it still works, only shared caching is
    lost. (A signed-in user's public rendition is one: their session cookie is renewed on
    every request.) Outermost of the middleware that set cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and "public" in _cache_directives(response):
            kept = [
                part.strip()
                for part in response["Cache-Control"].split(",")
                if part.strip() and part.split("=")[0].strip().lower() not in {"public", "s-maxage"}
            ]
            response["Cache-Control"] = ", ".join(["private", *kept])
        return response


class NulCharacterRefusalMiddleware:
    """Refuses (400) a request whose query string or url-encoded form holds a NUL character,
    in a name or a value. Multipart bodies are left to their views (reading them here would
    come before an upload view sets its size limit); Django's form fields refuse NUL there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (
            request.content_type == "application/x-www-form-urlencoded" and _holds_nul(request.POST)
        ):
            raise BadRequest("A parameter holds a NUL character.")
        return self.get_response(request)


def _holds_nul(params) -> bool:
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in params.lists()
    )


class ClientAddressMiddleware:
    """Audit entries written during the request record the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with client_address_during(client_address(request)):
            return self.get_response(request)
