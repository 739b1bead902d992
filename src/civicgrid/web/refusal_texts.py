"""What a refused staff request says, in the page's language.

The use cases refuse in English for the API and the logs; a page names the common kinds
of refusal in the reader's language by the error's class (the English stays on the page,
folded away, for whoever reports the problem).
"""

from __future__ import annotations

from civicgrid.domain.attachments import AttachmentTooLarge, UnsupportedType
from civicgrid.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    NotYourPosition,
    OutsideJurisdiction,
    WrongStage,
)
from civicgrid.web.page import Page
from civicgrid.web.problems import problem_of


def refusal_text(page: Page, error: DomainError) -> str:
    _ = page.gettext
    if isinstance(error, AttachmentTooLarge | UnsupportedType):
        return problem_of(page, error).message
    if isinstance(error, OutsideJurisdiction):
        return _("This lies outside the area you are responsible for.")
    if isinstance(error, NotYourPosition):
        return _("Your role may not take this step at the case's present stage.")
    if isinstance(error, WrongStage):
        return _(
            "The case is not at a stage where this step is taken; "
            "open it again to see where it stands."
        )
    if isinstance(error, Forbidden):
        return _("You may not do this.")
    if isinstance(error, NotFound):
        return _("This does not exist, or no longer exists.")
    if isinstance(error, Conflict):
        return _("This cannot be done in its present state; it may have changed meanwhile.")
    return invalid_value_text(page)


def invalid_value_text(page: Page) -> str:
    return page.gettext("A value sent is not valid; go back, correct it and send it again.")
