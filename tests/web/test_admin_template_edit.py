"""/staff/admin/templates/{id}/edit: a report template revised through the form, only in
ways that keep the reports already sent readable and their aggregates true."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicgrid.services.reports.aggregating import get_aggregate
from civicgrid.services.reports.submitting import submit_report
from civicgrid.services.reports.templates import get_template
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld
from tests.web.admin_world import add_admins, post_form
from tests.web.conftest import sign_in
from tests.web.directive_world import MICRO, MICRO_2, add_daily_template

PAGE = "/staff/admin/templates"
KEPT = """- {key: patrols, type: number, label_zh: 巡逻次数, label_en: Rounds,
   aggregates: [sum, mean]}
- {key: weather, type: choice, label_zh: 天气, label_en: Weather, choices: [晴, 雨, 雪]}
- {key: remarks, type: text, label_zh: 情况说明, label_en: Remarks, required: false}
- {key: spot, type: location, label_zh: 位置, label_en: Where, required: false}
- {key: photos, type: photo, label_zh: 照片, label_en: Photos, required: false}
"""
OPTIONAL = "- {key: helpers, type: number, label_zh: 协助人数, required: false}\n"
SAFE = {"name_zh": "巡逻日报", "name_en": "Daily rounds", "due_time": "17:30", "fields": KEPT}


@pytest.fixture
def template_id(world: CitizenWorld) -> int:
    add_admins(world)
    found = add_daily_template(world)
    c = world.container
    for unit, patrols in ((MICRO, 3), (MICRO_2, 4)):
        submit_report(
            c.uow(),
            world.staff["officer"],
            found,
            unit,
            {"patrols": patrols, "weather": "晴"},
            now=MONDAY_9AM,
            zone=c.settings.zone,
        )
    return found


@pytest.fixture
def admin_web(template_id: int, staff_web: TestClient) -> TestClient:
    """Signed in as the city's administrator, once the template exists."""
    sign_in(staff_web, "admin")
    staff_web.headers["Accept-Language"] = "en"
    return staff_web


def _edit(client: TestClient, template_id: int, data: dict[str, str]) -> Any:
    url = f"{PAGE}/{template_id}/edit"
    return post_form(client, url, url, data)


def test_the_form_comes_prefilled_and_is_linked_from_the_template(
    admin_web: TestClient, template_id: int
) -> None:
    shown = admin_web.get(f"{PAGE}/{template_id}")
    assert f'href="{PAGE}/{template_id}/edit"' in shown.text
    form = admin_web.get(f"{PAGE}/{template_id}/edit")
    assert form.status_code == 200
    assert 'value="巡查日报"' in form.text
    assert 'value="18:00"' in form.text
    assert "key: patrols" in form.text
    assert "choices:\n  - 晴" in form.text


def test_a_safe_edit_persists_and_shows_on_the_form_and_the_report_board(
    admin_web: TestClient, world: CitizenWorld, template_id: int
) -> None:
    answer = _edit(admin_web, template_id, SAFE | {"fields": KEPT + OPTIONAL})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PAGE}/{template_id}"
    stored = get_template(world.container.uow(), world.staff["officer"], template_id).draft
    assert (stored.name_zh, stored.due_time.isoformat()) == ("巡逻日报", "17:30:00")
    assert [f.key for f in stored.fields][-1] == "helpers"
    assert stored.fields[0].label_zh == "巡逻次数"
    with world.container.uow() as uow:
        log = uow.ledger.stream(f"report-template:{template_id}")
    assert [(e.type, e.actor) for e in log] == [
        ("template_created", "officer"),
        ("template_revised", "admin"),
    ]
    assert log[-1].data["changed"] == ["name_zh", "name_en", "due_time", "fields"]
    form = admin_web.get(f"{PAGE}/{template_id}/edit").text
    assert 'value="17:30"' in form
    assert "key: helpers" in form
    board = admin_web.get(f"/staff/reports/{template_id}", params={"period": "2026-11-23"})
    assert "Daily rounds" in board.text
    assert "Rounds:" in board.text


def test_reports_sent_before_an_edit_still_aggregate_after_it(
    admin_web: TestClient, world: CitizenWorld, template_id: int
) -> None:
    assert _edit(admin_web, template_id, SAFE).status_code == 303
    c = world.container
    found = get_aggregate(
        c.uow(),
        world.staff["officer"],
        template_id,
        period="2026-11-23",
        now=MONDAY_9AM,
        zone=c.settings.zone,
    )
    assert found.node.reported == 2
    assert found.node.values["patrols"] == {"sum": 7.0, "mean": 3.5}  # new aggregates, old data


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (KEPT.replace("- {key: remarks", "- {key: notes"), "Field remarks cannot be removed"),
        (KEPT.replace("type: number", "type: text").replace(",\n   aggregates: [sum, mean]", ""),
         "Field patrols keeps its type"),
        (KEPT.replace("[晴, 雨, 雪]", "[晴]"), "Field weather keeps all its choices"),
        (KEPT + OPTIONAL.replace(", required: false", ""), "new field helpers must be optional"),
    ],
)  # fmt: skip
def test_an_edit_that_would_change_stored_reports_is_refused_naming_the_field(
    admin_web: TestClient, world: CitizenWorld, template_id: int, fields: str, words: str
) -> None:
    answer = _edit(admin_web, template_id, SAFE | {"fields": fields})
    assert answer.status_code == 422
    assert 'id="fields-problem"' in answer.text
    assert words in answer.text
    assert 'value="巡逻日报"' in answer.text  # the input comes back to correct
    stored = get_template(world.container.uow(), world.staff["officer"], template_id).draft
    assert stored.name_zh == "巡查日报"  # nothing changed
    assert [f.key for f in stored.fields] == ["patrols", "weather", "remarks", "spot", "photos"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name_zh": ""}, "name_zh"),
        ({"due_time": "soon"}, "due_time"),
        ({"fields": "- ["}, "fields"),
    ],
)
def test_a_bad_form_comes_back_with_the_problem_next_to_its_field(
    admin_web: TestClient, template_id: int, change: dict[str, str], field: str
) -> None:
    answer = _edit(admin_web, template_id, SAFE | change)
    assert answer.status_code == 422
    assert f'id="{field}-problem"' in answer.text


def test_an_edit_needs_its_form_token(
    admin_web: TestClient, world: CitizenWorld, template_id: int
) -> None:
    answer = admin_web.post(
        f"{PAGE}/{template_id}/edit", data={"csrf_token": "x", **SAFE}, follow_redirects=False
    )
    assert answer.status_code == 403
    stored = get_template(world.container.uow(), world.staff["officer"], template_id).draft
    assert stored.name_zh == "巡查日报"


@pytest.mark.parametrize("username", ["officer", "other_admin"])
def test_a_non_administrator_or_another_citys_administrator_is_refused(
    staff_web: TestClient, world: CitizenWorld, template_id: int, username: str
) -> None:
    sign_in(staff_web, username)
    url = f"{PAGE}/{template_id}/edit"
    assert staff_web.get(url).status_code == 403
    assert post_form(staff_web, "/staff/login", url, SAFE).status_code == 403
    stored = get_template(world.container.uow(), world.staff["officer"], template_id).draft
    assert stored.name_zh == "巡查日报"
