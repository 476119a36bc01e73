"""An audit trail that shows tampering, including deletion of its end
(issue 22, item 3), on the real stack: each service runs as a database role
that cannot change or remove audit records; removing the newest records
with the owner's rights is found by `carebridge audit verify`, from the
checkpoint folder and from another service's copy of the checkpoints alone;
a privacy officer sees who read a patient's records."""
import json
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, text

from carebridge.db import normalize_url
from support.api import ok
from support.stack import SERVICES, eventually
from support.world import idempotency

NEWEST = 3


def verify(stack, service: str, *args: str, **env) -> tuple[int, dict, str]:
    done = stack.command(service, "audit", "verify", service, *args, **env)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.parametrize("statement", ["UPDATE audit_records SET actor = 'someone else'",
                                       "DELETE FROM audit_records", "TRUNCATE audit_records",
                                       "ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only"])
@pytest.mark.parametrize("service", SERVICES)
def test_the_services_database_role_cannot_change_or_remove_audit_records(stack, service, statement):
    url = normalize_url(stack.database_url(service)).replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)


def test_deleting_the_newest_records_is_found_from_the_checkpoints_and_from_another_services_copy(
        stack, world, tmp_path):
    coordinator = world.practitioner("coordinator")
    patient = world.patient(coordinator)
    patients_api = coordinator.client("patients")
    for _ in range(NEWEST):
        ok(patients_api.get(f"/patients/{patient.id}"))
    owner = create_engine(normalize_url(stack.owner_database_url("patients")))
    with owner.connect() as connection:
        newest = [dict(row) for row in connection.execute(text(
            "SELECT * FROM audit_records ORDER BY seq DESC LIMIT :n"), {"n": NEWEST}).mappings()]
    # Checkpointed (by the patients worker) and kept by another service.
    stack.wait_for_job_runs("patients", "audit-checkpoint")
    keeper = world.admin("careplans", "privacy-officer")

    def kept() -> dict | None:
        body = ok(keeper.get("/audit-checkpoints", params={"service": "patients", "page_size": 100}))
        reached = {}
        for head in (head for document in body["items"] for head in document["chains"]):
            reached[head["chain"]] = max(reached.get(head["chain"], 0), head["seq"])
        return body if all(reached.get(row["chain"], 0) >= row["seq"] for row in newest) else None

    copy = tmp_path / "kept-by-careplans.json"
    copy.write_text(json.dumps(eventually(kept, message="careplans to keep the patients checkpoint")))
    status, report, _ = verify(stack, "patients")
    assert status == 0 and report["ok"], report

    with owner.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only")
        connection.execute(text("DELETE FROM audit_records WHERE seq = ANY(:seqs)"),
                           {"seqs": [row["seq"] for row in newest]})
        connection.exec_driver_sql("ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only")
    try:
        status, report, stderr = verify(stack, "patients")
        assert status == 1 and not report["ok"]
        tails = [finding for finding in report["findings"] if finding["kind"] == "deleted-tail"]
        assert {(t["chain"], t["seq"]) for t in tails} == {
            (chain, max(row["seq"] for row in newest if row["chain"] == chain)) for chain in {r["chain"] for r in newest}}
        assert "deleted-tail" in stderr and "were deleted" in stderr
        # The checkpoint folder lost as well: the copy another service kept is enough.
        status, report, _ = verify(stack, "patients", "--checkpoints", str(copy),
                                   AUDIT_CHECKPOINT_DIR=str(tmp_path / "lost"))
        assert status == 1 and "deleted-tail" in {finding["kind"] for finding in report["findings"]}
    finally:
        with owner.begin() as connection:
            for row in sorted(newest, key=lambda row: row["seq"]):
                connection.execute(text(
                    "INSERT INTO audit_records (" + ", ".join(row) + ") VALUES ("
                    + ", ".join(f":{name}" for name in row) + ")"), row)
        owner.dispose()
    status, report, _ = verify(stack, "patients")
    assert status == 0 and report["ok"], report


def test_a_privacy_officer_sees_who_read_a_patients_records(stack, world):
    case = world.cardiology_case()
    plan = world.plan_from_template(case.physician, case.patient)
    request_id = f"read-{uuid.uuid4()}"
    ok(case.nurse.client("careplans").get(f"/care-plans/{plan['id']}", headers={"X-Request-ID": request_id}))
    listed = f"list-{uuid.uuid4()}"
    ok(world.admin("careplans", "coordinator").get("/care-plans", headers={"X-Request-ID": listed},
                                                   params={"page_size": 100}))
    officer = world.admin("careplans", "privacy-officer")
    events = ok(officer.get("/audit-events", params={"patient_id": case.patient.id, "page_size": 100}))["items"]
    [read] = [e for e in events if e["correlation_id"] == request_id]
    assert (read["actor"], read["roles"], read["action"], read["resource_type"], read["resource_id"]) == (
        case.nurse.id, ["nurse"], "read", "care-plan", plan["id"])
    # The coordinator's list showed this patient's plan: it is there too.
    assert [e["action"] for e in events if e["correlation_id"] == listed] == ["search"]
    # Other services answer for themselves; nobody else may ask.
    assert ok(world.admin("patients", "privacy-officer").get("/audit-events", params={
        "patient_id": case.patient.id}))["total"] > 0
    refused = case.nurse.client("careplans").get("/audit-events", params={"patient_id": case.patient.id})
    assert refused.status_code == 403
