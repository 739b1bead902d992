"""Computed 三标 indicators from directives and alerts, on hand-built logs with known
answers: per area at any level, per period, and as of a cut-off so a past period
recomputes the same however much happens later."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork
from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.domain.directives import Content, ReceiptState, Selection, Status
from civicgrid.domain.sanbiao.builtin import BUILTIN_BY_CODE
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.directive_ports import NewDirective, Targets
from civicgrid.services.sanbiao.computers import compute_values
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sensor_ports import StoredAlert
from tests.api.conftest import AREAS, Accounts, load_small_city, path_of

M1, M2 = "41010200100100101", "41010200100100102"  # one grid: 410102001001001
M3 = "41010200200100101"  # another street of district 410102
M4 = "41010300100100101"  # district 410103
NOV = PeriodKey.parse("2026-11")
SIGN, DONE = "directives.on_time_signoff_rate", "directives.feedback_rate"
RESPONSE, FALSE = "alerts.response_minutes_median", "alerts.false_share"


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _directive(
    container: Container,
    codes: list[str],
    *,
    sign_by: datetime,
    done_by: datetime | None = None,
    revoked_at: datetime | None = None,
) -> int:
    content = Content(
        title_zh="排查", body_zh="", sign_deadline_at=sign_by, complete_deadline_at=done_by
    )
    with container.uow() as uow:
        directive_id = uow.directives.add(
            NewDirective("/410100/", "city.admin", at(1), content, Selection())
        )
        uow.directives.fan_out(
            directive_id, Targets("/410100/", paths=tuple(path_of(c) for c in codes))
        )
        if revoked_at is not None:
            directive = uow.directives.get(directive_id)
            assert directive is not None
            revoked = replace(directive, status=Status.REVOKED, revoked_at=revoked_at)
            uow.directives.save(revoked)
        uow.commit()
    return directive_id


def _sign(container: Container, directive_id: int, code: str, when: datetime) -> None:
    with container.uow() as uow:
        (receipt,) = uow.directives.receipts_of_units(directive_id, [code])
        uow.directives.sign_receipts([receipt.id], 1, 1, when)
        uow.commit()


def _complete(container: Container, directive_id: int, code: str, when: datetime) -> None:
    with container.uow() as uow:
        receipt = uow.directives.receipt(directive_id, path_of(code))
        assert receipt is not None
        done = replace(receipt, state=ReceiptState.DONE, progress=100, done_at=when)
        uow.directives.save_receipt(receipt, done)
        uow.commit()


def _alert(
    container: Container,
    code: str,
    fired: datetime,
    *,
    acknowledged: datetime | None = None,
    cleared: datetime | None = None,
    silenced: bool = False,
) -> None:
    alert = StoredAlert(
        id=0,
        sensor_id=f"s-{code}-{fired:%m%d%H%M}",
        rule_id="water_level_high",
        category="",
        area_code=code,
        area_path=path_of(code),
        severity=2,
        active=cleared is None,
        flapping=False,
        silenced=silenced,
        fired_at=fired,
        cleared_at=cleared,
        last_value=1.0,
        hits=1,
        fires=1,
        acknowledged_at=acknowledged,
        acknowledged_by=None if acknowledged is None else "duty.officer",
        assignee=None,
        case_id=None,
    )
    with container.iot_uow() as uow:
        uow.alerts.add(alert)
        uow.commit()


@pytest.fixture
def logs(container: Container) -> Container:
    """November 2026 (Asia/Shanghai) of four micro-grids, with what happened after."""
    load_small_city(container)
    # A: sign by 11-10, complete by 11-20.
    a = _directive(container, [M1, M2, M3, M4], sign_by=at(10), done_by=at(20))
    _sign(container, a, M1, at(5))  # on time
    _sign(container, a, M2, at(12))  # late
    _sign(container, a, M3, at(9))  # on time; never completes
    _sign(container, a, M4, at(2, month=12))  # late, in December
    _complete(container, a, M1, at(15))  # on time
    _complete(container, a, M2, at(25))  # late
    # B: revoked before its deadline: owed nothing.
    _directive(container, [M1, M4], sign_by=at(8), revoked_at=at(3))
    # C: its deadline is in December: not November's business.
    _directive(container, [M1], sign_by=at(5, month=12))
    # D: revoked after its deadline had passed unsigned: still late.
    _directive(container, [M2], sign_by=at(28), revoked_at=at(29))

    _alert(container, M1, at(2), acknowledged=at(2, 0, 10), cleared=at(2, 1))  # 10 min
    _alert(container, M2, at(3), acknowledged=at(3, 0, 30))  # 30 min, still firing
    _alert(container, M3, at(4), cleared=at(4, 0, 5))  # cleared unanswered: false
    # cleared before anyone answered: false, though acknowledged (20 min) afterwards
    _alert(container, M3, at(5), acknowledged=at(5, 0, 20), cleared=at(5, 0, 5))
    _alert(container, M4, at(6), cleared=at(6, 0, 5), silenced=True)  # nobody was told
    _alert(container, M4, at(7), acknowledged=at(7, 1), cleared=at(7, 2))  # 60 min
    _alert(container, M1, at(1, month=12), cleared=at(1, 0, 1, month=12))  # December
    return container


def _values(container: Container, code: str, as_of: datetime) -> dict[str, float]:
    areas = [AREAS[c] for c in ("410100", "410102", "410103", "410102001001001", M3)]
    context = Context(now=as_of, zone=ZoneInfo(container.settings.zone))
    with SqlSanbiaoUnitOfWork(container.session_factory) as uow:
        areas = [replace(a, path=path_of(a.code)) for a in areas]
        return compute_values(uow, areas, BUILTIN_BY_CODE[code], NOV, context)


LATER = at(1, month=1) + timedelta(days=365)  # 2027-12-01: long after everything


def test_on_time_sign_off_rate_per_area_from_the_receipts(logs: Container) -> None:
    # Owed: A at M1, M2, M3, M4 and D at M2; on time: A at M1 and M3.
    assert _values(logs, SIGN, LATER) == pytest.approx(
        {
            "410100": 100 * 2 / 5,
            "410102": 100 * 2 / 4,
            "410103": 0.0,
            "410102001001001": 100 * 1 / 3,
            M3: 100.0,
        }
    )


def test_on_time_feedback_rate_counts_the_completion_deadline(logs: Container) -> None:
    assert _values(logs, DONE, LATER) == pytest.approx(
        {
            "410100": 100 * 1 / 4,
            "410102": 100 * 1 / 3,
            "410103": 0.0,
            "410102001001001": 50.0,
            M3: 0.0,
        }
    )


def test_alert_response_median_and_false_share(logs: Container) -> None:
    assert _values(logs, RESPONSE, LATER) == pytest.approx(
        {"410100": 25.0, "410102": 20.0, "410103": 60.0, "410102001001001": 20.0, M3: 20.0}
    )
    assert _values(logs, FALSE, LATER) == pytest.approx(
        {"410100": 40.0, "410102": 50.0, "410103": 0.0, "410102001001001": 0.0, M3: 100.0}
    )


def test_a_cut_off_sees_only_what_was_stamped_by_then(logs: Container) -> None:
    # On 11-11 only A's sign deadline has passed; M2's signature is still to come.
    assert _values(logs, SIGN, at(11)) == pytest.approx(
        {"410100": 50.0, "410102": 100 * 2 / 3, "410103": 0.0, "410102001001001": 50.0, M3: 100}
    )
    assert _values(logs, DONE, at(11)) == {}  # nothing is due yet: absent, not zero
    # At 11-05 00:03 the fourth alert has fired but not yet cleared.
    assert _values(logs, FALSE, at(5, 0, 3)) == pytest.approx(
        {"410100": 25.0, "410102": 25.0, "410102001001001": 0.0, M3: 50.0}
    )
    assert _values(logs, RESPONSE, at(5, 0, 3))["410102"] == pytest.approx(20.0)


def test_a_past_period_recomputes_the_same_later(logs: Container) -> None:
    before = {code: _values(logs, code, at(1, month=12)) for code in (SIGN, DONE, RESPONSE)}
    _sign(logs, _directive(logs, [M1], sign_by=at(10, month=12)), M1, at(9, month=12))
    _alert(logs, M2, at(3, month=12), acknowledged=at(3, 5, month=12))
    after = {code: _values(logs, code, LATER) for code in (SIGN, DONE, RESPONSE)}
    # Every November deadline had passed by 12-01, so what came after (M4's late
    # signature, a December directive and alert) leaves November as it was.
    assert after == before


def test_the_series_endpoint_returns_them(logs: Container) -> None:
    logs.clock = lambda: LATER
    accounts = Accounts(logs)
    with TestClient(create_app(container=logs)) as client:
        found = {}
        for code in (SIGN, DONE, RESPONSE, FALSE):
            response = client.get(
                "/api/v1/indicators/series",
                params={"indicator": code, "area": "410102", "period": "2026-11"},
                headers=accounts.headers("district_officer"),
            )
            assert response.status_code == 200, response.text
            found[code] = response.json()["data"]
        outside = client.get(
            "/api/v1/indicators/series",
            params={"indicator": SIGN, "area": "410103", "period": "2026-11"},
            headers=accounts.headers("district_officer"),
        )
    assert found == {
        SIGN: [{"period": "2026-11", "value": pytest.approx(50.0)}],
        DONE: [{"period": "2026-11", "value": pytest.approx(100 / 3)}],
        RESPONSE: [{"period": "2026-11", "value": pytest.approx(20.0)}],
        FALSE: [{"period": "2026-11", "value": pytest.approx(50.0)}],
    }
    assert outside.status_code == 403, outside.text
