"""The staff JSON API and the health check."""

from __future__ import annotations

from tests.sync.conftest import wire_change


def test_submissions_need_a_signed_in_user(client):
    for path in ("/api/v1/submissions", "/api/v1/submissions/K01-00001-X"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "sign_in_required"


def test_list_is_newest_first(staff_client, kiosk):
    changes = [
        wire_change(1, submitted_at="2026-11-21T09:00:00.000Z"),
        wire_change(2, submitted_at="2026-11-21T11:00:00.000Z"),
        wire_change(3, submitted_at="2026-11-21T10:00:00.000Z"),
    ]
    kiosk.push(staff_client, changes)
    body = staff_client.get("/api/v1/submissions").json()
    assert [row["reference"] for row in body["submissions"]] == [
        changes[n]["payload"]["reference"] for n in (1, 2, 0)
    ]
    first = body["submissions"][0]
    assert first["kiosk_name"] == "Library kiosk" and first["answers"]["children"] == 2
    page = staff_client.get("/api/v1/submissions", params={"limit": 1, "offset": 1}).json()
    assert [row["reference"] for row in page["submissions"]] == [changes[2]["payload"]["reference"]]


def test_paging_parameters_are_validated(staff_client):
    for params in ({"limit": "0"}, {"limit": "501"}, {"offset": "-1"}, {"limit": "ten"}):
        response = staff_client.get("/api/v1/submissions", params=params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid_query"


def test_detail_accepts_what_people_type(staff_client, kiosk):
    change = wire_change(1)
    kiosk.push(staff_client, [change])
    ref = change["payload"]["reference"]
    for typed in (ref, ref.lower(), ref.replace("-", ""), ref.replace("-", " ").lower()):
        response = staff_client.get(f"/api/v1/submissions/{typed}")
        assert response.status_code == 200, typed
        assert response.json()["id"] == change["payload"]["id"]
    assert response.headers["cache-control"] == "no-store"


def test_unknown_and_mistyped_references_are_404(staff_client, kiosk):
    change = wire_change(1)
    kiosk.push(staff_client, [change])
    ref = change["payload"]["reference"]
    mistyped = ref[:-1] + ("A" if ref[-1] != "A" else "B")
    for path in (mistyped, "K01-99999-X", "nonsense"):
        response = staff_client.get(f"/api/v1/submissions/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_submission"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_unknown_api_paths_and_methods_are_json_problems(client):
    assert client.get("/api/v1/nothing").json()["code"] == "not_found"
    response = client.get("/api/v1/sync/push")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
