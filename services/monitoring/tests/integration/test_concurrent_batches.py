"""One alert per episode under concurrent batches: two gateways' batches of
the same patient, through two runtimes (two API replicas, each with its own
connection pool) at once on PostgreSQL, open exactly one alert; and the
database itself refuses a second open alert for the same enrolment and rule,
whatever the Python code does."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from carebridge.testing import outbox
from carebridge_monitoring.persistence.models import OPEN_EPISODE_INDEX, Alert, AlertReading
from carebridge_monitoring.service_layer import enrolments
from carebridge_monitoring.service_layer.actors import SYSTEM
from support import enrol, reading, register_patient

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 14, tzinfo=timezone.utc)
ROUNDS = 8


@pytest.fixture
def pg_runtime(request, db_backend, make_runtime, service, runtime_settings, tmp_path):
    """PostgreSQL whatever --db says: this is about its concurrency."""
    if db_backend == "postgresql":
        return request.getfixturevalue("runtime")
    url = request.getfixturevalue("postgres_databases").fresh(service, tmp_path)
    return make_runtime(service, database_url=url, **runtime_settings)


def test_two_replicas_ingesting_batches_of_one_patient_at_once_open_one_alert(
        pg_runtime, make_runtime, make_app, service, runtime_settings, auth, clock):
    second_runtime = make_runtime(service, database_url=pg_runtime.settings.database_url, **runtime_settings)
    apps = [make_app(service, pg_runtime), make_app(service, second_runtime)]
    coordinator, gateway = auth("coordinator"), auth("device-gateway", sub="gateway-race")
    patients = [register_patient(pg_runtime) for _ in range(ROUNDS)]
    serials = [enrol(apps[0].test_client(), coordinator, patient, measures=("spo2",), condition="general")
               ["device"]["serial"] for patient in patients]
    start_together = threading.Barrier(2)

    def send(which: int, serial: str):
        # Different readings (times), the same patient and rule: critical SpO2.
        batch = [reading("spo2", 84 + i % 3, NOW - timedelta(minutes=which * 30 + i), serial=serial)
                 for i in range(20)]
        client = apps[which].test_client()
        start_together.wait(timeout=30)
        response = client.post("/readings/batches", json={"readings": batch}, headers=gateway)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    with ThreadPoolExecutor(2) as pool:
        for serial in serials:
            results = list(pool.map(send, (0, 1), (serial, serial)))
            assert sum(len(r["alerts_opened"]) for r in results) == 1, results
            assert sum(r["stored"] for r in results) == 40
    with pg_runtime.db.transaction() as session:
        per_patient = dict(session.execute(select(Alert.patient_id, func.count()).group_by(Alert.patient_id)).all())
        assert per_patient == {patient: 1 for patient in patients}
        # Both batches' readings belong to the one episode.
        assert session.scalar(select(func.count()).select_from(AlertReading)) == 40 * ROUNDS
    assert len(outbox(pg_runtime, "monitoring.alert-opened")) == ROUNDS


def test_the_database_refuses_a_second_open_alert_for_an_enrolment_and_rule(pg_runtime, clock):
    patient = register_patient(pg_runtime)
    with pg_runtime.db.transaction() as session:
        enrolment_id = enrolments.enrol(session, {
            "patient_id": patient, "condition": "general", "measures": ["spo2"],
            "device": {"kind": "oximeter", "serial": f"OX-{uuid.uuid4().hex[:8]}"},
            "consent_date": NOW.date()}, SYSTEM).id

    def alert(status="open"):
        return Alert(id=uuid.uuid4(), enrolment_id=enrolment_id, patient_id=patient, rule_code="spo2-critical-low",
                     measure="spo2", severity="critical", status=status, opened_at=NOW)

    with pg_runtime.db.transaction() as session:
        session.add_all([alert(), alert("closed"), alert("closed")])   # closed episodes may be many
    with pytest.raises(IntegrityError, match=OPEN_EPISODE_INDEX if pg_runtime.db.engine.dialect.name == "postgresql"
                       else "UNIQUE"):
        with pg_runtime.db.transaction() as session:
            session.add(alert())
