"""One page request: its language, its translations, its container, and rendering."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from civicgrid.bootstrap import Container
from civicgrid.web.i18n import (
    LANG_COOKIE,
    LANG_COOKIE_MAX_AGE,
    LANGUAGES,
    Language,
    choose_language,
    language_of,
    translations,
)
from civicgrid.web.templating import environment

SECURITY_HEADERS = {
    # Scripts only from our own origin (vendored, no CDN); Leaflet positions its map
    # panes with inline styles, so styles allow them.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # tracking links carry codes; never leak them onwards
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Page:
    request: Request
    container: Container
    language: Language

    def gettext(self, message: str, **params: object) -> str:
        """`message` in the page's language, with %(name)s placeholders filled."""
        text = translations(self.language).gettext(message)
        return text % params if params else text

    def name(self, zh: str, en: str) -> str:
        """A bilingual data name (area, category) in the page's language."""
        return en if self.language.tag == "en" and en else zh

    def local_time(self, moment: datetime | None) -> str:
        """`moment` on the city's clock, as people there read it."""
        if moment is None:
            return ""
        return moment.astimezone(ZoneInfo(self.container.settings.zone)).strftime("%Y-%m-%d %H:%M")

    def url_with_lang(self, tag: str, path: str | None = None) -> str:
        """This page (or `path`, for a page that a reload must not repeat) in language `tag`."""
        if path is not None:
            return f"{path}?{urlencode({'lang': tag})}"
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        params["lang"] = tag
        return f"{self.request.url.path}?{urlencode(sorted(params.items()))}"

    def absolute(self, path: str) -> str:
        return str(self.request.base_url).rstrip("/") + path

    def render(
        self,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> HTMLResponse:
        env = environment(self.language)
        html = env.get_template(template).render(
            page=self, language=self.language, languages=LANGUAGES, **(context or {})
        )
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        self.keep_language(response)
        return response

    def keep_language(self, response: Response) -> None:
        """A `?lang=` choice is remembered for the next pages."""
        if language_of(self.request.query_params.get("lang")) is not None:
            response.set_cookie(
                LANG_COOKIE,
                self.language.tag,
                max_age=LANG_COOKIE_MAX_AGE,
                samesite="lax",
                secure=self.request.url.scheme == "https",
            )


def get_page(request: Request) -> Page:
    container: Container = request.app.state.container
    return Page(request=request, container=container, language=choose_language(request))


PageDep = Annotated[Page, Depends(get_page)]
