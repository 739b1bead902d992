"""The message catalogues are complete: every text the pages can show, in both languages.

The messages are extracted afresh from the templates and Python sources with the project's
babel.cfg, so a text added without a translation fails here even if nobody ran the
extraction; the committed .mo files must match their .po sources.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from civicgrid.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

WEB = LOCALE_DIR.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdgf]")


def extracted_messages() -> set[str]:
    with (WEB / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(tag: str) -> Catalog:
    path = LOCALE_DIR / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=tag)


def placeholders(text: object) -> set[str]:
    return set(PLACEHOLDER.findall(str(text or "")))


MESSAGES = extracted_messages()
CATALOGUES = [language.catalogue for language in LANGUAGES]


def test_the_pages_have_messages_to_translate() -> None:
    assert "Report a problem" in MESSAGES
    assert "Choose a category." in MESSAGES  # from Python, not only templates
    assert len(MESSAGES) > 50


@pytest.mark.parametrize("tag", CATALOGUES)
def test_every_message_is_translated(tag: str) -> None:
    entries = {message.id: message for message in catalogue(tag) if message.id}
    missing = sorted(m for m in MESSAGES if m not in entries)
    untranslated = sorted(
        m for m in MESSAGES if m in entries and (not entries[m].string or entries[m].fuzzy)
    )

    assert missing == [], f"{tag}: not in the catalogue; run scripts/web_messages.py"
    assert untranslated == [], f"{tag}: no translation (or fuzzy) in messages.po"


@pytest.mark.parametrize("tag", CATALOGUES)
def test_translations_keep_every_placeholder(tag: str) -> None:
    wrong = [
        message.id
        for message in catalogue(tag)
        if message.id and placeholders(message.id) != placeholders(message.string)
    ]

    assert wrong == []


@pytest.mark.parametrize("tag", CATALOGUES)
def test_the_compiled_catalogue_matches_its_source(tag: str) -> None:
    compiled = Translations.load(str(LOCALE_DIR), [tag], DOMAIN)
    stale = [
        message.id
        for message in catalogue(tag)
        if message.id and compiled.gettext(str(message.id)) != message.string
    ]

    assert isinstance(compiled, Translations), f"no {DOMAIN}.mo for {tag}"
    assert stale == [], f"{tag}: messages.mo is stale; run scripts/web_messages.py"


def test_no_chinese_translation_is_left_in_english() -> None:
    chinese = catalogue("zh_CN")
    same = [m.id for m in chinese if m.id and m.string == m.id]

    assert same == []
