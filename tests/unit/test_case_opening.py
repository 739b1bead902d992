"""Opening a case hashes its report once; every history read back is still checked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from civicgrid.domain.cases import intake
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, verify_chain
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage
from civicgrid.domain.cases.state import InvalidHistory
from civicgrid.domain.errors import Forbidden
from tests.unit.case_workflow_helpers import T0, report_event

PATH = "/410100/410105/410105001/410105001001/41010500100101/4101050010010101/"


def _open(**changes: object) -> tuple[CaseEvent, Case]:
    details: dict[str, object] = {
        "category": "road.pothole",
        "source": Source.HOTLINE,
        "area_code": "4101050010010101",
        "area_path": PATH,
        "description": "a pothole by the bus stop",
        "location": (113.65, 34.76),
    }
    details.update(changes)
    return intake.open_case(7, "acc-wang", Position.ACCEPTOR, T0, **details)  # type: ignore[arg-type]


def test_the_opened_case_is_the_fold_of_its_sealed_report() -> None:
    event, case = _open()
    assert event.hash == event.sealed().hash != ""
    assert verify_chain([event]) == []
    assert case == Case.from_events([event])
    assert (case.id, case.stage, case.last_hash) == (7, Stage.COLLECT, event.hash)


def test_report_gives_the_same_event_as_open_case() -> None:
    event, _ = _open()
    again = intake.report(
        7, "acc-wang", Position.ACCEPTOR, T0, category="road.pothole", source=Source.HOTLINE,
        area_code="4101050010010101", area_path=PATH, description="a pothole by the bus stop",
        location=(113.65, 34.76),
    )  # fmt: skip
    assert again == event


def test_opening_takes_only_an_unsealed_event() -> None:
    sealed = report_event()
    with pytest.raises(ValueError, match="unsealed"):
        Case.opened_by(sealed)
    # A forged hash on a stored report is still caught by the fold of the history.
    with pytest.raises(InvalidHistory, match="does not match its hash"):
        Case.from_events([replace(sealed, hash="f" * 64)])


def test_a_stored_report_edited_after_sealing_is_refused() -> None:
    event, _ = _open()
    edited = replace(event, data={**event.data, "description": "nothing to see"})
    with pytest.raises(InvalidHistory, match="does not match its hash"):
        Case.from_events([edited])
    assert verify_chain([edited]) == ["case 7 event 1: content does not match its hash (edited?)"]


def test_opening_still_refuses_what_the_fold_cannot_read() -> None:
    with pytest.raises(Forbidden, match="cannot report a sensor case"):
        _open(source=Source.SENSOR)
    unsealed = replace(report_event(), hash="", seq=2)
    with pytest.raises(InvalidHistory, match="starts with REPORTED as event 1"):
        Case.opened_by(unsealed)
