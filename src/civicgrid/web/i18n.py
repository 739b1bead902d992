"""The two languages of the pages: choosing one per request and loading its catalogue.

A `?lang=` query parameter wins and is remembered in a cookie; then the cookie; then the
browser's Accept-Language; then Chinese, the language of the city's own staff and residents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Language:
    tag: str  # as in HTML and HTTP: "zh-CN"
    catalogue: str  # the catalogue directory: "zh_CN"
    label: str  # the language's own name, shown in the switch


LANGUAGES = (Language("zh-CN", "zh_CN", "中文"), Language("en", "en", "English"))
DEFAULT = LANGUAGES[0]
_BY_TAG = {language.tag.lower(): language for language in LANGUAGES}


def language_of(tag: str | None) -> Language | None:
    """The supported language a tag names (case-insensitive), or None."""
    return _BY_TAG.get(tag.strip().lower()) if tag else None


def choose_language(request: Request) -> Language:
    """The language of this request's page; see the module docstring for the order."""
    for tag in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if (chosen := language_of(tag)) is not None:
            return chosen
    return _from_accept_language(request.headers.get("accept-language", "")) or DEFAULT


def _from_accept_language(header: str) -> Language | None:
    """The first supported language by quality; any "zh-*" means Chinese, any "en-*" English."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):  # twenty preferences are plenty
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag.strip() and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(weighted):
        primary = tag.split("-")[0]
        for language in LANGUAGES:
            if language.tag.lower().split("-")[0] == primary:
                return language
    return None


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalogue; a missing one is a packaging fault, so it raises."""
    found = Translations.load(str(LOCALE_DIR), [language.catalogue], DOMAIN)
    if not isinstance(found, Translations):
        raise FileNotFoundError(f"no compiled catalogue for {language.tag} in {LOCALE_DIR}")
    return found


def babel_locale(language: Language) -> Locale:
    return Locale.parse(language.catalogue)
