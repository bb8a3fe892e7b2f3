"""Gzip for public pages, not for pages that carry a secret (BREACH).

A compressed page that shows both a secret and text an attacker can choose (a search term, a
form value) lets the attacker guess the secret from the compressed length (the BREACH attack).
Public pages are compressed: their one secret is the CSRF token, which Django masks afresh in
every response, and Django's GZipMiddleware pads each response with random bytes ("Heal the
Breach"). Left uncompressed are the responses to a signed-in user (staff pages show residents'
details next to their session's tokens) and every response marked private or not to be stored
(a case's tracking page and the form's confirmation, which show a tracking code). Static files
are compressed ahead by WhiteNoise (CompressedManifestStaticFilesStorage). docs/deployment.md.
"""

from django.middleware.gzip import GZipMiddleware

UNSHARED = {"private", "no-store"}


def carries_secret(request, response):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return bool(directives & UNSHARED)


class GZipPublicPagesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for every response but those that carry a secret."""

    def process_response(self, request, response):
        if carries_secret(request, response):
            return response
        return super().process_response(request, response)
