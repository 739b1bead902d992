"""Refresh the web pages' message catalogues: extract, update, fill English, compile.

    python scripts/web_messages.py          # after changing a template or a page's text

Chinese translations are written by hand in locale/zh_CN/LC_MESSAGES/messages.po; the
English catalogue repeats the English source text, so that a message missing from it is
as visible to the completeness test as one missing from the Chinese. The compiled .mo
files are committed (see locale/README.md for why).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent.parent / "src/civicgrid/web"
LOCALE = WEB / "locale"
POT = LOCALE / "messages.pot"
CATALOGUES = ("zh_CN", "en")
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def pybabel(*args: str) -> None:
    subprocess.run([*PYBABEL, *args], cwd=WEB, check=True)  # noqa: S603 - our own arguments


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / "messages.po"


def refresh() -> None:
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "--no-location",
        "--sort-output",
        "--project",
        "civicgrid",
        "--copyright-holder",
        "civicgrid contributors",
        "-o",
        str(POT.relative_to(WEB)),
        ".",
    )
    for locale in CATALOGUES:
        command = "update" if po_path(locale).exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        pybabel(command, "-i", str(POT.relative_to(WEB)), "-d", "locale", "-l", locale, *extra)
    fill_english()
    pybabel("compile", "-d", "locale", "--statistics")


def fill_english() -> None:
    path = po_path("en")
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if message.id and not message.string:
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalogue, omit_header=False, sort_output=True, width=100)


if __name__ == "__main__":
    refresh()
