"""/staff/admin/rules: the alert rules edited as YAML, checked, and taken up by the engine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civicgrid.adapters.alert_rules_file import default_rules_text
from tests.integration.citizen_world import CitizenWorld
from tests.web.admin_world import add_admins, post_form
from tests.web.conftest import sign_in

PAGE = "/staff/admin/rules"
EDITED = default_rules_text().replace("threshold: 0.10}", "threshold: 0.12}", 1)


def first_threshold(world: CitizenWorld) -> float | None:
    rule = world.container.alert_pipeline.rules.rule("underpass_flooding")
    assert rule is not None
    return rule.levels[0].threshold


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def test_the_page_shows_the_files_rules(admin_web: TestClient) -> None:
    page = admin_web.get(PAGE)
    assert page.status_code == 200
    assert "underpass_flooding" in page.text


def test_saved_rules_replace_the_files_in_the_running_engine(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    assert first_threshold(world) == pytest.approx(0.10)  # the engine is built before the save
    answer = post_form(admin_web, PAGE, PAGE, {"text": EDITED})
    assert answer.status_code == 303
    assert first_threshold(world) == pytest.approx(0.12)
    assert "threshold: 0.12}" in admin_web.get(PAGE).text


def test_an_engine_built_after_the_save_reads_the_saved_rules(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    post_form(admin_web, PAGE, PAGE, {"text": EDITED})
    assert first_threshold(world) == pytest.approx(0.12)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("rules: [unclosed", "not valid YAML"),
        (EDITED.replace("    when: above", "    when: sideways", 1), "when must be one of"),
        (EDITED.replace('category: "event:0407"', 'category: "event:9999"', 1), "event:9999"),
        ("rules: []", "no rule"),
    ],
)
def test_rules_that_cannot_be_used_are_refused_and_kept_for_correction(
    admin_web: TestClient, world: CitizenWorld, text: str, words: str
) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, {"text": text})
    assert answer.status_code == 422
    assert 'id="text-problem"' in answer.text
    assert words in answer.text
    assert first_threshold(world) == pytest.approx(0.10)


def test_rules_need_their_form_token(admin_web: TestClient, world: CitizenWorld) -> None:
    answer = admin_web.post(PAGE, data={"csrf_token": "x", "text": EDITED})
    assert answer.status_code == 403
    assert first_threshold(world) == pytest.approx(0.10)


def test_a_district_officer_may_not_edit_the_rules(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(staff_web, "officer")
    assert staff_web.get(PAGE).status_code == 403
    assert post_form(staff_web, "/staff/login", PAGE, {"text": EDITED}).status_code == 403
