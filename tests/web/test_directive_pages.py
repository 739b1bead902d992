"""The directive pages: issuing with a preview, a unit signing and completing on its
receipt page, the progress tree per level with its laggards, and 403 outside one's area."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from civicgrid.services.area_tags import set_area_tags
from tests.fixtures import Clock, PlainHasher
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld
from tests.web.conftest import csrf_token, sign_in
from tests.web.directive_world import MICRO, MICRO_2, OTHER_STREET, STREET, add_staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 3000


@pytest.fixture
def pages(world: CitizenWorld) -> Iterator[TestClient]:
    add_staff(world)
    world.container.hasher = PlainHasher()
    with TestClient(create_app(container=world.container)) as client:
        client.headers["Accept-Language"] = "en"  # the assertions read the English texts
        yield client


def issue(client: TestClient, files: dict | None = None, **overrides: str) -> int:
    """Issues, as the signed-in officer, a directive to the street's micro-grids."""
    form = client.get("/staff/directives/new")
    assert form.status_code == 200
    data = {
        "csrf_token": csrf_token(form.text),
        "title_zh": "检查积水点",
        "title_en": "Check water-logging points",
        "body_zh": "请排查辖区积水点并上报。",
        "priority": "urgent",
        "sign_by": "2026-11-23T12:00",
        "due_by": "2026-11-23T18:00",
        "target": "level",
        "within": STREET,
        "level": "micro-grid",
        "field_1_label_zh": "已排查点数",
        "field_1_label_en": "Points checked",
        "field_1_type": "number",
        "field_1_required": "on",
        "field_2_label_zh": "是否有积水",
        "field_2_type": "yes_no",
        "field_2_required": "on",
        "field_3_label_zh": "现场照片",
        "field_3_type": "photo",
        **overrides,
    }
    answer = client.post("/staff/directives/new", data=data, files=files, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/staff/directives/(\d+)", answer.headers["location"])
    assert found is not None
    return int(found[1])


def sign_as(client: TestClient, username: str, directive_id: int, code: str) -> None:
    client.cookies.clear()
    sign_in(client, username)
    page = client.get(f"/staff/directives/{directive_id}/units/{code}")
    assert page.status_code == 200
    assert 'id="sign-button"' in page.text
    signed = client.post(
        f"/staff/directives/{directive_id}/units/{code}/sign",
        data={"csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303


def test_the_preview_counts_and_names_the_units_a_selection_reaches(pages: TestClient) -> None:
    sign_in(pages, "officer")
    found = pages.get(
        "/staff/directives/preview",
        params={"target": "level", "within": STREET, "level": "micro-grid"},
    )
    assert found.status_code == 200
    assert re.search(r'id="preview-total">8 units<', found.text)
    assert "41010200100100101" in found.text  # the first names
    listed = pages.get(
        "/staff/directives/preview", params={"target": "list", "codes": f"{MICRO}\n{MICRO_2}"}
    )
    assert 'id="preview-total">2 units<' in listed.text


def test_a_preview_outside_ones_area_says_so_and_issuing_there_is_refused(
    pages: TestClient,
) -> None:
    sign_in(pages, "officer")
    outside = pages.get(
        "/staff/directives/preview", params={"target": "level", "within": "410103", "level": "grid"}
    )
    assert 'class="preview-refusal"' in outside.text
    form = pages.get("/staff/directives/new")
    refused = pages.post(
        "/staff/directives/new",
        data={"csrf_token": csrf_token(form.text), "title_zh": "越权", "target": "level",
              "within": "410103", "level": "grid"},
    )  # fmt: skip
    assert refused.status_code == 403


def test_an_issue_form_with_problems_comes_back_with_them(pages: TestClient) -> None:
    sign_in(pages, "officer")
    form = pages.get("/staff/directives/new")
    answer = pages.post(
        "/staff/directives/new",
        data={"csrf_token": csrf_token(form.text), "title_zh": "", "target": "list", "codes": ""},
    )
    assert answer.status_code == 422
    assert 'href="#title_zh"' in answer.text
    assert 'href="#codes"' in answer.text


def test_units_sign_and_the_progress_tree_counts_them_per_level(
    pages: TestClient, world: CitizenWorld
) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    sign_as(pages, "inspector", directive_id, MICRO)
    sign_as(pages, "worker2", directive_id, MICRO_2)
    pages.cookies.clear()
    sign_in(pages, "officer")
    tree = pages.get(f"/staff/directives/{directive_id}")
    assert tree.status_code == 200
    assert re.search(r'id="signed-count">2 of 8 signed<', tree.text)
    # The issuer's area is the district; its one street with targets is a row.
    assert f'data-code="{STREET}"' in tree.text
    assert f'data-code="{OTHER_STREET}"' not in tree.text
    # Drilled down to the street: its two communities, the signed ones in the first.
    street = pages.get(f"/staff/directives/{directive_id}", params={"at": STREET})
    rows = re.findall(r'<tr data-code="(\d+)">(.*?)</tr>', street.text, re.S)
    assert [code for code, _ in rows] == ["410102001001", "410102001002"]
    assert re.findall(r'data-label="Signed">(\d+)<', street.text) == ["2", "0"]
    # The laggards: six units not signed, the two signed ones not among them.
    laggards = re.findall(r'<li class="receipt-item" data-code="(\d+)">', street.text)
    assert len(laggards) == 6
    assert MICRO not in laggards
    assert MICRO_2 not in laggards


def test_past_the_signing_deadline_the_laggards_are_overdue(
    pages: TestClient, world: CitizenWorld
) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    sign_as(pages, "inspector", directive_id, MICRO)
    assert isinstance(world.container.clock, Clock)
    world.container.clock.now = MONDAY_9AM + timedelta(hours=4)  # 13:00, past 12:00
    pages.cookies.clear()
    sign_in(pages, "officer")
    tree = pages.get(f"/staff/directives/{directive_id}", params={"show": "overdue"})
    assert 'id="overdue-count" class="overdue">7 overdue<' in tree.text
    overdue = re.findall(r'<li class="receipt-item" data-code="(\d+)">', tree.text)
    assert len(overdue) == 7
    assert MICRO not in overdue


def test_a_unit_completes_with_the_feedback_form_and_a_photo_and_can_be_sent_back(
    pages: TestClient,
) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    sign_as(pages, "inspector", directive_id, MICRO)
    url = f"/staff/directives/{directive_id}/units/{MICRO}"
    page = pages.get(url)
    assert 'id="complete-form"' in page.text
    assert 'capture="environment"' in page.text
    token = csrf_token(page.text)
    fields = {"csrf_token": token, "directive_id": str(directive_id), "unit": MICRO}
    wrong = pages.post(
        "/staff/directives/feedback", data={**fields, "f_field_1": "three", "f_field_2": "no"}
    )
    assert wrong.status_code == 422
    assert 'href="#f_field_1"' in wrong.text
    done = pages.post(
        "/staff/directives/feedback",
        data={**fields, "f_field_1": "3", "f_field_2": "no", "note": "已排查"},
        files={"f_field_3": ("spot.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    shown = pages.get(url)
    assert 'id="feedback-values"' in shown.text
    assert "已排查" in shown.text
    photo = re.search(
        rf'src="(/staff/directives/{directive_id}/units/{MICRO}/photos/\w+)"', shown.text
    )
    assert photo is not None
    assert pages.get(photo[1]).content == PNG
    pages.cookies.clear()
    sign_in(pages, "officer")
    page = pages.get(url)
    assert 'id="rework-form"' in page.text
    back = pages.post(
        f"{url}/rework",
        data={"csrf_token": csrf_token(page.text), "reason": "照片不清楚"},
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert "Sent back for rework" in pages.get(url).text


def test_pdfs_of_the_directive_and_of_the_feedback_are_download_links_not_images(
    pages: TestClient,
) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages, files={"attachments": ("plan.pdf", PDF, "application/pdf")})
    detail = pages.get(f"/staff/directives/{directive_id}").text
    link = re.search(
        rf'<a class="file-link" href="(/staff/directives/{directive_id}/files/\w+)" '
        r'download="plan.pdf"><span class="file-icon" aria-hidden="true">PDF</span> '
        r'<span class="file-name">plan.pdf</span> <span class="file-size">3 KB</span></a>',
        detail,
    )
    assert link is not None, detail
    assert f'<img class="thumb" src="{link[1]}"' not in detail
    assert pages.get(link[1]).content == PDF
    sign_as(pages, "inspector", directive_id, MICRO)
    url = f"/staff/directives/{directive_id}/units/{MICRO}"
    page = pages.get(url)
    assert 'class="file-name">plan.pdf<' in page.text
    done = pages.post(
        "/staff/directives/feedback",
        data={"csrf_token": csrf_token(page.text), "directive_id": str(directive_id),
              "unit": MICRO, "f_field_1": "3", "f_field_2": "no"},
        files=[("f_field_3", ("scan.pdf", PDF, "application/pdf")),
               ("f_field_3", ("spot.png", PNG, "image/png"))],
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    shown = pages.get(url).text
    feedback = shown[shown.index('id="feedback-values"') :]
    assert 'class="file-name">scan.pdf</span> <span class="file-size">3 KB<' in feedback
    assert re.search(rf'<img class="thumb" src="{url}/photos/\w+" alt="Photo 2: ', feedback)
    assert len(re.findall(r"<img ", feedback)) == 1


def test_the_list_shows_issued_directives_and_a_units_receipts(pages: TestClient) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    issued = pages.get("/staff/directives")
    assert f'href="/staff/directives/{directive_id}"' in issued.text
    pages.cookies.clear()
    sign_in(pages, "inspector")
    received = pages.get("/staff/directives")
    assert f'href="/staff/directives/{directive_id}/units/{MICRO}"' in received.text
    assert "Not signed" in received.text


def test_the_issuer_revises_and_revokes(pages: TestClient) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    form = pages.get(f"/staff/directives/{directive_id}/revise")
    assert 'value="检查积水点"' in form.text
    revised = pages.post(
        f"/staff/directives/{directive_id}/revise",
        data={"csrf_token": csrf_token(form.text), "title_zh": "检查积水点（修订）",
              "priority": "high", "sign_by": "2026-11-23T12:00", "due_by": "2026-11-23T18:00"},
        follow_redirects=False,
    )  # fmt: skip
    assert revised.status_code == 303
    detail = pages.get(f"/staff/directives/{directive_id}")
    assert "Version 2" in detail.text
    revoked = pages.post(
        f"/staff/directives/{directive_id}/revoke",
        data={"csrf_token": csrf_token(detail.text), "reason": "天气转好"},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert 'id="revoke-form"' not in pages.get(f"/staff/directives/{directive_id}").text


def test_every_directive_page_outside_ones_area_is_403(pages: TestClient) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    pages.cookies.clear()
    sign_in(pages, "other_officer")
    for path in (
        f"/staff/directives/{directive_id}",
        f"/staff/directives/{directive_id}?at={STREET}",
        f"/staff/directives/{directive_id}/revise",
        f"/staff/directives/{directive_id}/units/{MICRO}",
    ):
        assert pages.get(path).status_code == 403, path
    token = csrf_token(pages.get("/staff/directives").text)
    for action in ("sign", "rework"):
        refused = pages.post(
            f"/staff/directives/{directive_id}/units/{MICRO}/{action}",
            data={"csrf_token": token, "reason": "x"},
        )
        assert refused.status_code == 403, action
    pages.cookies.clear()
    sign_in(pages, "inspector")  # a grid worker: no officer's role, and not another unit's
    assert pages.get("/staff/directives/new").status_code == 403
    assert pages.get(f"/staff/directives/{directive_id}/units/{MICRO_2}").status_code == 403
    assert pages.get(f"/staff/directives/{directive_id}?at={STREET}").status_code == 403


def test_the_unit_side_reads_in_chinese(pages: TestClient) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    preview = pages.get(
        "/staff/directives/preview",
        params={"target": "level", "within": STREET, "level": "micro-grid", "lang": "zh-CN"},
    )
    assert 'id="preview-total">8 个单位<' in preview.text
    pages.cookies.clear()
    sign_in(pages, "inspector")
    receipt = pages.get(f"/staff/directives/{directive_id}/units/{MICRO}?lang=zh-CN")
    assert "检查积水点" in receipt.text  # the Chinese title, not the English one
    assert ">签收</button>" in receipt.text
    assert "未签收" in receipt.text


def test_a_street_office_signs_for_the_ticked_units_below_it(pages: TestClient) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    pages.cookies.clear()
    sign_in(pages, "street_officer")
    tree = pages.get(f"/staff/directives/{directive_id}")  # opens at the street, theirs
    assert 'id="sign-for-form"' in tree.text
    ticked = re.findall(r'name="codes" value="(\d+)"', tree.text)[:3]
    signed = pages.post(
        f"/staff/directives/{directive_id}/sign",
        data={"csrf_token": csrf_token(tree.text), "codes": ticked, "at": STREET},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    after = pages.get(signed.headers["location"])
    assert 'id="signed-count">3 of 8 signed<' in after.text
    pages.cookies.clear()
    sign_in(pages, "other_officer")
    refused = pages.post(
        f"/staff/directives/{directive_id}/sign",
        data={"csrf_token": csrf_token(pages.get("/staff/directives").text), "codes": [MICRO]},
    )
    assert refused.status_code == 403


def test_units_with_a_tag_are_offered_and_previewed(pages: TestClient, world: CitizenWorld) -> None:
    for code in (MICRO, MICRO_2):
        set_area_tags(world.container.uow(), world.staff["officer"], code, add=["flood-risk"])
    sign_in(pages, "officer")
    form = pages.get("/staff/directives/new")
    assert '<option value="flood-risk">flood-risk (2)</option>' in form.text
    found = pages.get("/staff/directives/preview", params={"target": "tag", "tag": "flood-risk"})
    assert 'id="preview-total">2 units<' in found.text


def test_a_grid_worker_opening_the_directive_lands_on_their_units_receipt(
    pages: TestClient,
) -> None:
    sign_in(pages, "officer")
    directive_id = issue(pages)
    pages.cookies.clear()
    sign_in(pages, "inspector")
    opened = pages.get(f"/staff/directives/{directive_id}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/staff/directives/{directive_id}/units/{MICRO}"
