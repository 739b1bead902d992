"""Attachments named by workflow actions, through the use cases, on both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.errors import Forbidden, InvalidInput
from civicgrid.services.area_import import import_areas
from civicgrid.services.attachments import get_attachment, upload_attachment
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.intake import ReportRequest, report_case
from tests.factories import small_city
from tests.fixtures import MICRO, MONDAY_9AM, add_people, principals

NOW = MONDAY_9AM
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture
def people(container: Container) -> dict[str, Principal]:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    grants = {
        "inspector": (Role.GRID_WORKER, MICRO),
        "officer": (Role.STREET_OFFICER, "410102001"),
        "other": (Role.STREET_OFFICER, "410103001"),
    }
    return principals(container, add_people(container, grants, now=NOW))


def _case(container: Container, inspector: Principal) -> int:
    request = ReportRequest("event:0101", "井盖缺失", Source.GRID_WORKER, area_code=MICRO)
    reported = report_case(
        container.uow(),
        container.locators,
        container.rules,
        inspector,
        request,
        now=NOW,
        snap_tolerance_m=50,
    )
    return reported.case.id


def _note(container: Container, who: Principal, case_id: int, ids: tuple[str, ...]) -> None:
    act_on_case(
        container.uow(),
        container.rules,
        who,
        case_id,
        CaseAction.NOTE,
        now=NOW + timedelta(minutes=5),
        args={"text": "现场照片", "attachments": ids},
    )


def test_a_note_with_a_photo_opens_it_to_the_cases_readers(
    container: Container, people: dict[str, Principal]
) -> None:
    case_id = _case(container, people["inspector"])
    store = container.attachment_store
    photo = upload_attachment(
        container.uow(), store, people["inspector"], "p.jpg", "image/jpeg", JPEG, now=NOW
    )
    with pytest.raises(Forbidden):
        get_attachment(container.uow(), store, people["officer"], photo.id)
    _note(container, people["inspector"], case_id, (photo.id, photo.id))
    with container.uow() as uow:
        assert uow.cases.events(case_id)[-1].attachments == (photo.id, photo.id)
    download = get_attachment(container.uow(), store, people["officer"], photo.id)
    with download.content:
        assert download.content.read() == JPEG
    with pytest.raises(Forbidden, match=photo.id):
        get_attachment(container.uow(), store, people["other"], photo.id)


def test_an_action_naming_an_unknown_attachment_changes_nothing(
    container: Container, people: dict[str, Principal]
) -> None:
    case_id = _case(container, people["inspector"])
    with pytest.raises(InvalidInput, match="no attachment nope") as raised:
        _note(container, people["inspector"], case_id, ("nope",))
    assert raised.value.field == "attachments"
    with container.uow() as uow:
        assert len(uow.cases.events(case_id)) == 1
