"""What a contest's entries carry (``Contest.content``), each a module: ``photo`` (the media
pipeline, ``PhotoRules``), ``not_yet`` (documents and video: refused, saying so, until their
checks land) and ``no_files`` (judged on the day). A module says which files an entry takes,
how many, why a file is refused, the flags screening raises, the declarations asked and the
rules its pages list (``base.ContentKind``); the services, forms and pages ask
``contest.content_kind`` instead of comparing ``content`` values. A new content is a module
and a line in ``CONTENT_KINDS``."""

from laurel.contests.content.base import ContentKind
from laurel.contests.content.no_files import NO_FILES
from laurel.contests.content.not_yet import DOCUMENT, VIDEO
from laurel.contests.content.photo import PHOTO

CONTENT_KINDS: dict[str, ContentKind] = {
    kind.code: kind for kind in (PHOTO, DOCUMENT, VIDEO, NO_FILES)
}


def content_kind(code: str) -> ContentKind:
    return CONTENT_KINDS[code]
