"""The workbench: my tasks, the case list, a case's page with its action forms, its
files, and the grid worker's report form; each inside the person's subtree only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.areas import Level
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.directives import Content, Selection
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.services.directives.responding import sign_receipts
from tests.fixtures import Clock
from tests.integration.citizen_world import GARBAGE, MICRO, MONDAY_9AM, CitizenWorld
from tests.web.conftest import csrf_token, sign_in
from tests.web.directive_world import add_daily_template

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
FORM = re.compile(r'<form[^>]*id="action-([a-z_]+)"')


def forms_on(html: str) -> set[str]:
    return set(FORM.findall(html))


def advance(world: CitizenWorld, minutes: int = 5) -> None:
    clock = world.container.clock
    assert isinstance(clock, Clock)
    clock.now += timedelta(minutes=minutes)


def act(
    client: TestClient, case_id: int, action: str, files: dict | None = None, **fields: str
) -> object:
    page = client.get("/staff/")  # any staff page carries a token (the sign-out form)
    data = {"csrf_token": csrf_token(page.text), "case_id": str(case_id), "action": action}
    return client.post(
        "/staff/cases/actions", data=data | fields, files=files, follow_redirects=False
    )


@pytest.fixture
def case_id(world: CitizenWorld) -> int:
    return world.submit().case_id


def test_my_tasks_lists_the_cases_at_my_stage_and_not_others(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "acceptor")
    mine = staff_web.get("/staff/")
    assert mine.status_code == 200
    assert f'href="/staff/cases/{case_id}"' in mine.text.split('id="open-in-area"')[0]

    staff_web.cookies.clear()
    sign_in(staff_web, "dispatcher")
    theirs = staff_web.get("/staff/").text
    assert f'href="/staff/cases/{case_id}"' not in theirs.split('id="open-in-area"')[0]


def test_my_tasks_shows_an_officer_the_open_cases_in_their_area_with_lights(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    advance(world, 60 * 24 * 10)  # ten days: far past the acceptance limit
    sign_in(staff_web, "officer")
    page = staff_web.get("/staff/?lang=en").text
    area = page.split('id="open-in-area"')[1].split("</section>")[0]
    assert f"#{case_id}" in area
    assert "Overdue" in area
    assert 'href="/staff/cases?overdue=true"' in area

    staff_web.cookies.clear()
    sign_in(staff_web, "other_officer")
    area = staff_web.get("/staff/").text.split('id="open-in-area"')[1].split("</section>")[0]
    assert f"#{case_id}" not in area


def test_the_case_list_filters_by_stage_and_pages(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    ids = [world.submit().case_id for _ in range(3)]
    world.act("acceptor", ids[0], CaseAction.ACCEPT, MONDAY_9AM + timedelta(minutes=1))
    sign_in(staff_web, "officer")

    collecting = staff_web.get("/staff/cases?stage=collect").text
    filing = staff_web.get("/staff/cases?stage=file").text
    assert f"#{ids[1]}<" in collecting
    assert f"#{ids[0]}<" not in collecting
    assert f"#{ids[0]}<" in filing
    assert f"#{ids[1]}<" not in filing
    assert 'id="next-page"' not in collecting
    assert staff_web.get(f"/staff/cases?category={GARBAGE}&overdue=true").status_code == 200
    assert staff_web.get("/staff/cases?stage=nonsense").status_code == 400


def test_a_list_of_another_district_holds_none_of_mine(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "other_officer")
    assert f"#{case_id}<" not in staff_web.get("/staff/cases").text


def test_a_case_page_shows_the_timeline_map_and_only_my_actions(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "acceptor")
    page = staff_web.get(f"/staff/cases/{case_id}?lang=en")
    assert page.status_code == 200
    assert forms_on(page.text) == {"accept", "merge_into", "note"}
    assert 'id="case-map"' in page.text
    assert "&#34;point&#34;" in page.text
    assert 'data-type="reported"' in page.text
    assert "Collecting" in page.text

    staff_web.cookies.clear()
    sign_in(staff_web, "officer")  # watches, holds no position
    assert forms_on(staff_web.get(f"/staff/cases/{case_id}").text) == set()


def test_another_roles_post_is_refused_and_changes_nothing(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "dispatcher")
    answer = act(staff_web, case_id, "accept")
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert 'data-type="accepted"' not in staff_web.get(f"/staff/cases/{case_id}").text


def test_refusals_say_why_in_chinese_with_the_english_folded_away(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "dispatcher")
    staff_web.get("/staff/?lang=zh-CN")  # remembered for the pages that follow
    role = act(staff_web, case_id, "accept")
    stage = act(staff_web, case_id, "dispatch", department="city_management")
    missing = staff_web.get("/staff/cases/999999")
    invalid = staff_web.get("/staff/cases/many")
    staff_web.cookies.clear()
    sign_in(staff_web, "other_officer")
    outside = staff_web.get(f"/staff/cases/{case_id}?lang=zh-CN")

    expected = [
        (role, 403, "此操作不属于您的职责", "您的岗位不能在案件的当前环节进行此操作。"),
        (stage, 409, "内容已被他人更改", "案件当前所处环节不能进行此操作"),
        (missing, 404, "未找到", "该内容不存在或已被删除。"),
        (invalid, 400, "无法执行此请求", "提交的内容有误"),
        (outside, 403, "超出您的管辖范围", "这超出了您负责的区域。"),
    ]
    for answer, status, title, message in expected:
        text = answer.text  # type: ignore[attr-defined]
        assert answer.status_code == status, text  # type: ignore[attr-defined]
        assert f"<h1>{title}</h1>" in text
        assert re.search(rf'<p class="refusal">{message}', text), text
        assert '<details class="hint"><summary>详细情况</summary><p lang="en">' in text


def test_a_form_with_a_missing_field_comes_back_with_its_problem(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    world.act("acceptor", case_id, CaseAction.ACCEPT, MONDAY_9AM + timedelta(minutes=1))
    advance(world)
    sign_in(staff_web, "leader")
    answer = act(staff_web, case_id, "void")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert 'href="#void-reason"' in answer.text  # type: ignore[attr-defined]


def test_a_post_without_a_genuine_token_is_refused(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "acceptor")
    answer = staff_web.post(
        "/staff/cases/actions",
        data={"csrf_token": "forged", "case_id": str(case_id), "action": "accept"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert 'data-type="accepted"' not in staff_web.get(f"/staff/cases/{case_id}").text


def test_outside_the_subtree_the_page_and_its_files_are_403(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "handler")
    advance(world)
    world.act("acceptor", case_id, CaseAction.ACCEPT, world.container.clock())
    advance(world)
    world.act("inspector", case_id, CaseAction.CHECK, world.container.clock(), passed=True)
    advance(world)
    world.act("leader", case_id, CaseAction.FILE, world.container.clock())
    advance(world)
    world.act(
        "dispatcher",
        case_id,
        CaseAction.DISPATCH,
        world.container.clock(),
        department="city_management",
    )
    advance(world)
    answer = act(staff_web, case_id, "handle", files={"photo": ("fixed.png", PNG, "image/png")},
                 result="已清运")  # fmt: skip
    assert answer.status_code == 303  # type: ignore[attr-defined]
    page = staff_web.get(f"/staff/cases/{case_id}").text
    url = re.search(r'src="(/staff/cases/\d+/files/[0-9a-f]+)"', page)
    assert url is not None
    photo = staff_web.get(url[1])
    assert photo.status_code == 200
    assert photo.content == PNG

    staff_web.cookies.clear()
    sign_in(staff_web, "other_officer")
    assert staff_web.get(f"/staff/cases/{case_id}").status_code == 403
    assert staff_web.get(url[1]).status_code == 403
    assert act(staff_web, case_id, "note", text="x").status_code == 403  # type: ignore[attr-defined]


def test_a_pdf_on_a_case_is_a_download_link_with_its_name_and_size_a_photo_a_thumbnail(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    sign_in(staff_web, "acceptor")
    pdf = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    for name, data, media in (("plan.pdf", pdf, "application/pdf"), ("spot.png", PNG, "image/png")):
        advance(world)
        answer = act(staff_web, case_id, "note", files={"photo": (name, data, media)}, text=name)
        assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    page = staff_web.get(f"/staff/cases/{case_id}?lang=zh-CN").text
    files = page[page.index('id="photos"') : page.index('id="actions"')]
    link = re.search(
        r'<a class="file-link" href="(/staff/cases/\d+/files/[0-9a-f]+)" download="plan.pdf">'
        r'<span class="file-icon" aria-hidden="true">PDF</span> '
        r'<span class="file-name">plan.pdf</span> <span class="file-size">3 MB</span></a>',
        files,
    )
    assert link is not None, files
    assert (
        len(re.findall(r'<img class="thumb" src="/staff/cases/\d+/files/[0-9a-f]+" alt="', files))
        == 1
    )
    assert f'src="{link[1]}"' not in page  # never drawn as a broken picture
    timeline = page[page.index('id="timeline"') :]
    assert timeline.count('class="file-name">plan.pdf<') == 1
    assert timeline.count('<img class="thumb"') == 1
    download = staff_web.get(link[1])
    assert download.headers["content-type"] == "application/pdf"
    assert download.content == pdf


def test_a_case_runs_from_accept_to_close_through_the_forms(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    case_id = world.submit().case_id
    steps = [
        ("acceptor", "accept", {}),
        ("inspector", "check", {"passed": "yes"}),
        ("leader", "file", {"note": "立案"}),
        ("dispatcher", "dispatch", {"department": "city_management"}),
        ("handler", "handle", {"result": "已清运"}),
        ("dispatcher", "forward_feedback", {}),
        ("inspector", "verify", {"passed": "yes"}),
        ("leader", "close", {"outcome": "fixed"}),
    ]
    for who, action, fields in steps:
        advance(world)
        staff_web.cookies.clear()
        sign_in(staff_web, who)
        answer = act(staff_web, case_id, action, **fields)
        assert answer.status_code == 303, (who, action, answer.text)  # type: ignore[attr-defined]
        assert answer.headers["location"] == f"/staff/cases/{case_id}?done={action}"  # type: ignore[attr-defined]
    page = staff_web.get(f"/staff/cases/{case_id}?lang=en").text
    assert 'data-type="closed"' in page
    assert "Evaluation" in page


def test_a_grid_worker_reports_a_problem_with_a_photo(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(staff_web, "inspector")
    form = staff_web.get("/staff/cases/new")
    assert form.status_code == 200
    assert 'capture="environment"' in form.text
    assert 'id="locate"' in form.text
    answer = staff_web.post(
        "/staff/cases/new",
        data={
            "csrf_token": csrf_token(form.text),
            "category": GARBAGE,
            "description": "路边暴露垃圾",
            "lat": str(world.lat),
            "lon": str(world.lon),
        },
        files={"photo": ("spot.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = staff_web.get(answer.headers["location"]).text
    assert "路边暴露垃圾" in page
    assert "/files/" in page


def test_a_report_form_with_problems_comes_back_422(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    sign_in(staff_web, "inspector")
    form = staff_web.get("/staff/cases/new")
    answer = staff_web.post(
        "/staff/cases/new",
        data={"csrf_token": csrf_token(form.text), "category": GARBAGE, "description": ""},
    )
    assert answer.status_code == 422
    assert 'href="#description"' in answer.text
    assert 'href="#lat"' in answer.text


def test_my_tasks_lists_directives_to_sign_and_reports_due_for_my_unit(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    c = world.container
    issued = issue_directive(
        c.uow(),
        world.staff["officer"],
        Content("清理积存垃圾", "请各网格清理", "Clear the rubbish", "Every micro-grid"),
        Selection(level=Level.MICRO_GRID),
        now=c.clock(),
    )
    template_id = add_daily_template(world)
    sign_in(staff_web, "inspector")
    page = staff_web.get("/staff/?lang=en").text
    directives = page.split('id="directives-to-sign"')[1].split("</section>")[0]
    reports = page.split('id="reports-due"')[1].split("</section>")[0]
    assert f'href="/staff/directives/{issued.directive.id}"' in directives
    assert "Clear the rubbish" in directives
    assert f'href="/staff/reports/{template_id}"' in reports

    sign_receipts(c.uow(), world.staff["inspector"], issued.directive.id, [MICRO], now=c.clock())
    page = staff_web.get("/staff/").text
    assert f'href="/staff/directives/{issued.directive.id}"' not in page


def test_a_handler_sees_only_cases_dispatched_to_their_department(
    staff_web: TestClient, world: CitizenWorld, case_id: int
) -> None:
    other = world.submit().case_id
    t = MONDAY_9AM
    for n, (who, action, args) in enumerate(
        [
            ("acceptor", CaseAction.ACCEPT, {}),
            ("inspector", CaseAction.CHECK, {"passed": True}),
            ("leader", CaseAction.FILE, {}),
        ]
    ):
        for case in (case_id, other):
            world.act(who, case, action, t + timedelta(minutes=n + 1), **args)
    world.act("dispatcher", case_id, CaseAction.DISPATCH, t + timedelta(minutes=9),
              department="city_management")  # fmt: skip
    world.act("dispatcher", other, CaseAction.DISPATCH, t + timedelta(minutes=9),
              department="landscaping")  # fmt: skip
    sign_in(staff_web, "handler")
    mine = staff_web.get("/staff/").text.split('id="open-in-area"')[0]
    assert f'href="/staff/cases/{case_id}"' in mine
    assert f'href="/staff/cases/{other}"' not in mine


def test_a_phone_photo_larger_than_the_body_limit_of_other_forms_is_taken(
    staff_web: TestClient, world: CitizenWorld
) -> None:
    big = PNG + bytes(2 * world.container.settings.max_body_bytes)  # a phone's photo
    sign_in(staff_web, "inspector")
    form = staff_web.get("/staff/cases/new")
    fields = {"category": GARBAGE, "description": "井盖缺失", "lat": str(world.lat),
              "lon": str(world.lon)}  # fmt: skip
    answer = staff_web.post(
        "/staff/cases/new",
        data={"csrf_token": csrf_token(form.text), **fields},
        files={"photo": ("big.png", big, "image/png")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    case_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    noted = act(staff_web, case_id, "note", files={"photo": ("more.png", big, "image/png")},
                text="补充照片")  # fmt: skip
    assert noted.status_code == 303  # type: ignore[attr-defined]
