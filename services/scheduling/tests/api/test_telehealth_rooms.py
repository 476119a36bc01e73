"""Telehealth visits in Jitsi Meet rooms when TELEHEALTH_PROVIDER=jitsi
(issue 25, item 15); the placeholder stays the development default."""
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import jwt
import pytest

from carebridge_scheduling.domain.telehealth import JitsiRooms, PlaceholderRooms, rooms

NEW_YORK = ZoneInfo("America/New_York")
SECRET = "jitsi-secret-for-tests-0123456789abcdef"


@pytest.fixture
def runtime_settings(patients_api):
    return {"service_urls": {"patients": patients_api.url}, "http_retries": 0,
            "extra": {"TELEHEALTH_PROVIDER": "jitsi", "JITSI_BASE_URL": "https://meet.clinic.example",
                      "JITSI_APP_ID": "carebridge", "JITSI_APP_SECRET": SECRET}}


def book_video_visit(client, coordinator, world, hour):
    return client.post("/appointments", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "telehealth-check-in",
        "start": datetime(2026, 3, 7, hour, tzinfo=NEW_YORK).isoformat()}).get_json()


def test_a_video_visit_gets_an_unguessable_jitsi_room_with_a_token_for_that_room(client, coordinator, world):
    first, second = (book_video_visit(client, coordinator, world, hour) for hour in (9, 10))
    link = urlsplit(first["telehealth_join_url"])
    assert (link.scheme, link.hostname) == ("https", "meet.clinic.example")
    room = link.path.strip("/")
    assert room.startswith("CareBridge") and len(room) == 50 and room.isalnum()
    assert first["id"] not in first["telehealth_join_url"] and room not in second["telehealth_join_url"]
    claims = jwt.decode(parse_qs(link.query)["jwt"][0], SECRET, algorithms=["HS256"], audience="jitsi",
                        options={"verify_exp": False, "verify_nbf": False})
    assert (claims["room"], claims["iss"], claims["sub"]) == (room, "carebridge", "meet.clinic.example")
    start = datetime.fromisoformat(first["start"]).timestamp()
    assert claims["nbf"] == start - 3600 and claims["exp"] == datetime.fromisoformat(first["end"]).timestamp() + 3600


def test_the_adapter_follows_the_settings(make_runtime, service):
    assert isinstance(rooms(make_runtime(service).service_settings), PlaceholderRooms)
    jitsi = rooms(make_runtime(service, extra={"TELEHEALTH_PROVIDER": "jitsi"}).service_settings)
    assert isinstance(jitsi, JitsiRooms) and jitsi.app_secret is None
    assert "?" not in jitsi.join_url("token", datetime(2026, 3, 7, 14), datetime(2026, 3, 7, 15))
    with pytest.raises(Exception):
        make_runtime(service, extra={"TELEHEALTH_PROVIDER": "jitsi", "JITSI_BASE_URL": "http://meet.example"})
