"""Jinja2 environments, one per language, each with its catalogue installed.

Two small environments instead of one whose translations change per request: a shared
environment's gettext would be swapped under a page another thread is rendering.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from civicgrid.web.i18n import Language, translations

TEMPLATES = Path(__file__).parent / "templates"
EXTENSIONS = ["jinja2.ext.i18n"]  # babel.cfg names the same for extraction


@cache
def environment(language: Language) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing variable is a bug, not an empty string
        extensions=EXTENSIONS,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Added by the i18n extension, so not in Environment's type.
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env
