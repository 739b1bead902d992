"""三标 files over HTTP: importing reported values (all or nothing, or per row when asked)
and exporting values, gaps, rankings and the conversion report as CSV and XLSX."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from tests.api.conftest import Accounts, assert_error

RETAIL = "economy.retail_sales"
GOOD = [
    [RETAIL, "410102", "2021", "800", "statistics bulletin", ""],
    [RETAIL, "410102", "2022", "=1+1", '=HYPERLINK("x")', ""],  # a formula is not a number
    [RETAIL, "410103", "2022", "900", "statistics bulletin", ""],
    [RETAIL, "410102001", "2022", "1,200.5", "street report", ""],
]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "area", "period", "value", "source", "reason"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def send(
    client: TestClient,
    accounts: Accounts,
    who: str,
    data: bytes,
    fmt: str = "csv",
    per_row: bool = False,
) -> object:
    return client.post(
        "/api/v1/indicators/values/import",
        content=data,
        params={"format": fmt, "per_row": str(per_row).lower()},
        headers={**accounts.headers(who), "Content-Type": "text/csv"},
    )


def history(client: TestClient, accounts: Accounts, area: str, period: str) -> list[dict]:
    got = client.get(
        "/api/v1/indicators/values",
        headers=accounts.headers("city_admin"),
        params={"indicator": RETAIL, "area": area, "period": period},
    )
    return got.json()["data"] if got.status_code == 200 else []


def test_one_bad_row_keeps_the_whole_file_out_and_names_every_bad_row(
    client: TestClient, accounts: Accounts
) -> None:
    response = send(client, accounts, "district_officer", as_csv(GOOD))
    error = assert_error(
        response,
        422,
        "invalid_input",
        "line 3 (value)",
        "line 4 (area)",
        "nothing was stored",
        field="file",
    )
    assert "line 2" not in error["message"]
    assert "jurisdiction" in error["message"]  # 410103 lies outside district 410102
    assert history(client, accounts, "410102", "2021") == []


def test_per_row_stores_the_good_rows_when_asked(client: TestClient, accounts: Accounts) -> None:
    response = send(client, accounts, "district_officer", as_csv(GOOD), per_row=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 2
    assert [e["line"] for e in body["errors"]] == [3, 4]
    assert [v["value"] for v in history(client, accounts, "410102001", "2022")] == [1200.5]


def test_an_xlsx_import_corrects_with_a_reason_and_export_round_trips(
    client: TestClient, accounts: Accounts
) -> None:
    send(client, accounts, "city_admin", as_csv([GOOD[0], GOOD[2]]))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Indicator", "AREA", "period", "value", "source", "reason"])
    sheet.append([RETAIL, 410102, 2021, 810.0, "revised bulletin", "bureau revision"])
    sheet.append([RETAIL, 410102, 2022, 950, "bulletin", None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = send(client, accounts, "city_admin", buffer.getvalue(), fmt="xlsx")
    assert response.status_code == 200, response.text
    assert [v["value"] for v in history(client, accounts, "410102", "2021")] == [800, 810]
    exported = client.get(
        "/api/v1/indicators/values/export",
        headers=accounts.headers("leader"),
        params={"indicator": RETAIL, "area": "410103", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][:4] == [RETAIL, "410103", "2022", "900.0"]
    assert len(rows) == 2  # the leader's subtree only
    xlsx = client.get(
        "/api/v1/indicators/values/export",
        headers=accounts.headers("city_admin"),
        params={"indicator": RETAIL, "area": "410100", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3], r[5]) for r in values] == [
        ("410102", "2021", 810, 2),
        ("410102", "2022", 950, 1),
        ("410103", "2022", 900, 1),
    ]


def test_unreadable_files_are_refused_whole(client: TestClient, accounts: Accounts) -> None:
    no_header = send(client, accounts, "city_admin", b"a,b\n1,2\n")
    assert_error(no_header, 422, "invalid_input", "indicator", field="file")
    not_xlsx = send(client, accounts, "city_admin", b"PK\x03\x04 broken", fmt="xlsx")
    assert_error(not_xlsx, 422, "invalid_input", "XLSX", field="file")
    latin = send(client, accounts, "city_admin", "indicator,é".encode("latin-1"))
    assert_error(latin, 422, "invalid_input", "UTF-8", field="file")


def test_gaps_ranking_and_conversion_export_as_files(
    client: TestClient, accounts: Accounts
) -> None:
    send(
        client,
        accounts,
        "city_admin",
        as_csv([GOOD[0], GOOD[2], [RETAIL, "410102", "2022", "700", "x", ""]]),
    )
    headers = accounts.headers("city_admin")
    gaps = client.get(
        "/api/v1/gaps",
        headers=headers,
        params={"area": "410102", "period": "2022", "format": "csv"},
    )
    assert gaps.headers["content-disposition"] == 'attachment; filename="gaps-410102.csv"'
    rows = list(csv.DictReader(io.StringIO(gaps.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["code"] == RETAIL)
    assert (row["指标"], row["value"], row["rank"], row["trend"]) == (
        "社会消费品零售总额",
        "700.0",
        "2",
        "worsening",
    )
    ranking = client.get(
        "/api/v1/gaps/ranking",
        headers=headers,
        params={"indicator": RETAIL, "period": "2022", "areas": "410102,410103", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(ranking.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [1, "410103"]
    conversion = client.get(
        "/api/v1/conversion", headers=headers, params={"area": "410102", "format": "csv"}
    )
    assert conversion.status_code == 200
    assert conversion.content.decode("utf-8-sig").startswith("lesson_id,area,学习成果")


def test_a_value_twice_in_one_file_and_a_correction_without_reason_are_row_errors(
    client: TestClient, accounts: Accounts
) -> None:
    send(client, accounts, "city_admin", as_csv([GOOD[0]]))
    rows = [
        [RETAIL, "410103", "2021", "1", "x", ""],
        [RETAIL, "410103", "2021", "2", "x", ""],
        [RETAIL, "410102", "2021", "3", "x", ""],
    ]
    response = send(client, accounts, "city_admin", as_csv(rows), per_row=True)
    errors = {e["line"]: e["message"] for e in response.json()["errors"]}
    assert errors[3] == "the same value as line 2"
    assert "a correction needs a reason" in errors[4]
    assert response.json()["stored"] == 1
