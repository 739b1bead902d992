"""Choosing the page language: ?lang= (remembered), the cookie, Accept-Language, Chinese."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ENGLISH_TITLE = "<title>Report a problem · civicgrid</title>"
CHINESE_TITLE = "<title>我要上报 · civicgrid</title>"


@pytest.mark.parametrize(
    ("accept", "title"),
    [
        ("", CHINESE_TITLE),
        ("en-US,en;q=0.9", ENGLISH_TITLE),
        ("zh-TW,zh;q=0.9,en;q=0.5", CHINESE_TITLE),
        ("fr-FR,en;q=0.8,zh-CN;q=0.5", ENGLISH_TITLE),
        ("de, fr;q=0.5", CHINESE_TITLE),
        ("en;q=0.2, zh-CN;q=0.9", CHINESE_TITLE),
        ("en;q=bogus, zh", CHINESE_TITLE),
    ],
)
def test_the_browser_language_decides_without_a_choice(
    reader: TestClient, accept: str, title: str
) -> None:
    page = reader.get("/citizen/report", headers={"Accept-Language": accept})

    assert title in page.text
    assert "lang" not in page.cookies


def test_a_chosen_language_is_remembered_over_the_browsers(reader: TestClient) -> None:
    chosen = reader.get("/citizen/report?lang=en", headers={"Accept-Language": "zh-CN"})
    assert ENGLISH_TITLE in chosen.text
    assert reader.cookies.get("lang") == "en"

    later = reader.get("/citizen/track", headers={"Accept-Language": "zh-CN"})
    assert "<title>Follow a report · civicgrid</title>" in later.text

    back = reader.get("/citizen/track?lang=zh-CN")
    assert "<title>查询上报进度 · civicgrid</title>" in back.text
    assert reader.cookies.get("lang") == "zh-CN"


def test_an_unknown_language_falls_back_and_is_not_remembered(reader: TestClient) -> None:
    page = reader.get("/citizen/report?lang=xx", headers={"Accept-Language": "en"})

    assert ENGLISH_TITLE in page.text
    assert "lang" not in reader.cookies


def test_the_switch_links_to_the_same_page_in_the_other_language(reader: TestClient) -> None:
    page = reader.get("/citizen/track?code=&lang=en")

    assert 'href="/citizen/track?code=&amp;lang=zh-CN"' in page.text
    assert '<span aria-current="true" lang="en">English</span>' in page.text
