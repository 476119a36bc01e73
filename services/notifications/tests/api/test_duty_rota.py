"""/recipients/duty-shifts: the duty rota escalations reach (issue 25, item 7)."""
import uuid
from datetime import timedelta

from carebridge.testing import assert_problem


def shift(who, clock, duty="on-call", **extra):
    return {"practitioner_id": str(who), "duty": duty, "starts_at": clock.now().isoformat(),
            "ends_at": (clock.now() + timedelta(hours=12)).isoformat(), **extra}


def test_coordinators_keep_the_rota_and_staff_read_who_is_on_now(client, auth, world, clock):
    created = client.post("/recipients/duty-shifts", json=shift(world.nurse, clock), headers=auth("coordinator"))
    assert created.status_code == 201, created.get_json()
    client.post("/recipients/duty-shifts", json=shift(world.physician, clock, duty="supervisor"),
                headers=auth("admin"))
    later = (clock.now() + timedelta(hours=13)).isoformat()
    now_on_call = client.get("/recipients/duty-shifts", query_string={"duty": "on-call", "at": clock.now().isoformat()},
                             headers=auth("nurse")).get_json()["items"]
    assert [s["practitioner_id"] for s in now_on_call] == [str(world.nurse)]
    assert client.get("/recipients/duty-shifts", query_string={"at": later},
                      headers=auth("nurse")).get_json()["total"] == 0
    assert client.delete(f"/recipients/duty-shifts/{created.get_json()['id']}",
                         headers={**auth("coordinator"), "If-Match": created.headers["ETag"]}).status_code == 204
    assert client.get("/recipients/duty-shifts", query_string={"duty": "on-call"},
                      headers=auth("nurse")).get_json()["total"] == 0


def test_bad_shifts_are_refused(client, auth, world, clock):
    assert_problem(client.post("/recipients/duty-shifts", json=shift(world.nurse, clock),
                               headers=auth("nurse")), 403)
    backwards = shift(world.nurse, clock, ends_at=(clock.now() - timedelta(hours=1)).isoformat())
    assert "ends_at" in assert_problem(client.post("/recipients/duty-shifts", json=backwards,
                                                   headers=auth("coordinator")), 422)["errors"]
    unknown = assert_problem(client.post("/recipients/duty-shifts", json=shift(uuid.uuid4(), clock),
                                         headers=auth("coordinator")), 422)
    assert "practitioner_id" in unknown["errors"]
    assert "duty" in assert_problem(client.post("/recipients/duty-shifts", json=shift(world.nurse, clock, duty="chef"),
                                                headers=auth("coordinator")), 422)["errors"]
