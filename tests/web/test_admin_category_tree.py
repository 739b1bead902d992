"""/staff/admin/categories/tree: the whole category tree edited as YAML, checked, versioned."""

from __future__ import annotations

import copy
import html
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from civicgrid.adapters.category_files import (
    default_category_tree,
    dump_category_yaml,
    read_category_yaml,
)
from civicgrid.adapters.live_rules import LiveCaseRules
from civicgrid.domain.access import local_operator
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories.edits import CategoryEdit
from civicgrid.services.admin_categories import edit_category
from tests.integration.citizen_world import GARBAGE, MONDAY_9AM, CitizenWorld
from tests.web.admin_world import add_admins, post_form
from tests.web.conftest import sign_in

PAGE = "/staff/admin/categories/tree"
NEW_CLASS = "event:0199"


@pytest.fixture
def admin_web(world: CitizenWorld, staff_web: TestClient) -> TestClient:
    add_admins(world)
    sign_in(staff_web, "admin")
    return staff_web


def edited_text(*, drop_garbage: bool = False) -> str:
    """The packaged tree with 暴露垃圾 renamed and a new class 0199 beside it."""
    document: dict[str, Any] = yaml.safe_load(dump_category_yaml(default_category_tree()))
    minors = document["events"][0]["minors"]
    garbage = next(m for m in minors if m["code"] == "0101")
    new = copy.deepcopy(garbage)
    new.update(code="0199", name_zh="共享单车乱停", name_en="Bicycles parked anyhow")
    minors.append(new)
    garbage.update(name_zh="垃圾堆放", name_en="Heaped rubbish")
    if drop_garbage:
        minors.remove(garbage)
    dumped: str = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return dumped


def shown_text(page: str) -> str:
    found = re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def saved_versions(world: CitizenWorld) -> int:
    with world.container.admin_uow() as uow:
        return 0 if uow.admin.category_tree() is None else 1


def test_the_packaged_tree_dumps_to_yaml_that_reads_back_equal() -> None:
    tree = default_category_tree()
    assert read_category_yaml(dump_category_yaml(tree).encode(), source_name="t") == tree


def test_the_form_shows_the_tree_in_force_with_a_class_edit(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    tree = default_category_tree()
    edit = replace(CategoryEdit.of(tree.minor(GARBAGE)), limit=TimeLimit(5, LimitUnit.HOURS))
    edit_category(world.container.admin_uow(), local_operator(), tree, edit, now=MONDAY_9AM)
    world.container.rules_changed()
    assert 'href="/staff/admin/categories/tree"' in admin_web.get("/staff/admin/categories").text
    page = admin_web.get(PAGE)
    assert page.status_code == 200
    shown = read_category_yaml(shown_text(page.text).encode(), source_name="shown")
    assert shown == world.container.rules.tree
    assert shown.minor(GARBAGE).limit == TimeLimit(5, LimitUnit.HOURS)


def test_a_saved_tree_renames_and_adds_classes_for_new_cases(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    tree = default_category_tree()
    edit = replace(CategoryEdit.of(tree.minor(GARBAGE)), duplicate_radius_m=7)
    edit_category(world.container.admin_uow(), local_operator(), tree, edit, now=MONDAY_9AM)
    answer = post_form(admin_web, PAGE, PAGE, {"text": edited_text()})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PAGE}?saved=1"
    receipt = world.submit(category=NEW_CLASS, at=MONDAY_9AM + timedelta(hours=1))
    with world.container.uow() as uow:
        case = uow.cases.get(receipt.case_id)
    assert case is not None
    assert case.category == NEW_CLASS
    listing = admin_web.get("/staff/admin/categories?lang=en").text
    assert "Heaped rubbish" in listing
    assert "Bicycles parked anyhow" in listing
    assert "Exposed garbage" not in listing
    # the single-class edit was taken into the text shown and then cleared
    in_file = default_category_tree().minor(GARBAGE).duplicate_radius_m
    assert world.container.rules.minor(GARBAGE).duplicate_radius_m == in_file != 7
    with world.container.admin_uow() as uow:
        assert uow.admin.category_edits() == []
    assert "admin" in admin_web.get(PAGE).text


def test_another_process_follows_a_saved_tree(admin_web: TestClient, world: CitizenWorld) -> None:
    c = world.container
    clock = {"t": 0.0}
    other = LiveCaseRules(
        lambda: (default_category_tree(), {}),
        c.session_factory,
        c.settings.zone,
        recheck_s=5.0,
        monotonic=lambda: clock["t"],
    )
    assert other.minor(GARBAGE).name_zh == "暴露垃圾"
    post_form(admin_web, PAGE, PAGE, {"text": edited_text()})
    clock["t"] = 5.0
    assert other.minor(GARBAGE).name_zh == "垃圾堆放"
    assert other.file_tree().minor(NEW_CLASS).name_en == "Bicycles parked anyhow"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("stage_limits: [\n", "not valid YAML"),
        (edited_text().replace("department: city_management", "department: nobody", 1), "nobody"),
        ("", "The tree cannot be used"),
    ],
)
def test_a_tree_that_cannot_be_used_is_refused_and_nothing_stored(
    admin_web: TestClient, world: CitizenWorld, text: str, words: str
) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, {"text": text})
    assert answer.status_code == 422
    assert 'id="text-problem"' in answer.text
    assert words in answer.text
    assert saved_versions(world) == 0
    assert world.container.rules.minor(GARBAGE).name_zh == "暴露垃圾"


def test_the_yaml_problem_names_its_line(admin_web: TestClient, world: CitizenWorld) -> None:
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, {"text": "a: 1\nb: [\n"})
    assert answer.status_code == 422
    assert "line " in answer.text


def test_leaving_out_a_class_that_cases_have_is_refused(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    world.submit(at=MONDAY_9AM)
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, {"text": edited_text(drop_garbage=True)})
    assert answer.status_code == 422
    assert GARBAGE in answer.text
    assert saved_versions(world) == 0


def test_leaving_out_a_class_no_case_has_is_allowed(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    answer = post_form(admin_web, PAGE, PAGE, {"text": edited_text(drop_garbage=True)})
    assert answer.status_code == 303
    assert saved_versions(world) == 1


def test_the_tree_needs_its_form_token(admin_web: TestClient, world: CitizenWorld) -> None:
    answer = admin_web.post(PAGE, data={"csrf_token": "x", "text": edited_text()})
    assert answer.status_code == 403
    assert saved_versions(world) == 0


def test_a_district_officer_may_not_edit_the_tree(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    add_admins(world)
    sign_in(staff_web, "officer")
    assert staff_web.get(PAGE).status_code == 403
    text = edited_text()
    assert post_form(staff_web, "/staff/login", PAGE, {"text": text}).status_code == 403
    assert saved_versions(world) == 0


def test_leaving_out_a_class_the_alert_rules_name_is_refused(
    admin_web: TestClient, world: CitizenWorld
) -> None:
    document: dict[str, Any] = yaml.safe_load(dump_category_yaml(default_category_tree()))
    [major] = [m for m in document["events"] if m["code"] == "04"]
    major["minors"] = [m for m in major["minors"] if m["code"] != "0407"]
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    answer = post_form(admin_web, f"{PAGE}?lang=en", PAGE, {"text": text})
    assert answer.status_code == 422
    assert "event:0407" in answer.text
    assert saved_versions(world) == 0
