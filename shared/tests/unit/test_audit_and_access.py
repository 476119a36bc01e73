import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from carebridge import access, audit
from carebridge.auth import Principal
from carebridge.testing import audit_trail, database_owner, deliver, make_event


def team_event(team_id, patient_id, revision, members, status="active"):
    return make_event("patients.care-team-changed", {
        "care_team_id": team_id, "patient_id": patient_id, "revision": revision, "status": status,
        "lead_coordinator_id": None, "members": members})


def member(practitioner_id, start, end=None, role="nurse"):
    return {"membership_id": uuid.uuid4(), "practitioner_id": practitioner_id, "role": role,
            "period_start": start, "period_end": end}


class TestCareTeamAccess:
    def test_active_member_sees_the_patient_others_do_not(self, runtime, clock):
        nurse, stranger, patient, team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        deliver(runtime, team_event(team, patient, 1, [member(nurse, clock.now() - timedelta(days=1))]))
        with runtime.db.transaction() as session:
            assert access.may_see_patient(session, Principal(str(nurse), frozenset({"nurse"})), patient)
            assert not access.may_see_patient(session, Principal(str(stranger), frozenset({"nurse"})), patient)
            assert access.may_see_patient(session, Principal("anyone", frozenset({"coordinator"})), patient)
            assert not access.may_see_patient(session, Principal(str(nurse), frozenset({"billing"})), patient)

    def test_ended_membership_and_inactive_team_end_access(self, runtime, clock):
        nurse, patient, team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        now = clock.now()
        deliver(runtime, team_event(team, patient, 1, [member(nurse, now - timedelta(days=9), now - timedelta(hours=1))]))
        principal = Principal(str(nurse), frozenset({"nurse"}))
        with runtime.db.transaction() as session:
            assert not access.may_see_patient(session, principal, patient)
        deliver(runtime, team_event(team, patient, 2, [member(nurse, now - timedelta(days=9))], status="suspended"))
        with runtime.db.transaction() as session:
            assert not access.may_see_patient(session, principal, patient)

    def test_a_row_with_its_membership_reads_as_the_orm_loads_it(self, runtime, clock):
        # One SELECT for the row and the membership (on PostgreSQL, run on the
        # driver's connection with the types' own conversions): the values the
        # ORM would load, and the same answer about the team as may_see_patient.
        from kit_toy_service.models import Toy
        nurse, stranger, former, patient, team = (uuid.uuid4() for _ in range(5))
        now = clock.now()
        deliver(runtime, team_event(team, patient, 1, [
            member(nurse, now - timedelta(days=1)), member(former, now - timedelta(days=9), now - timedelta(hours=1))]))
        with runtime.db.transaction() as session:
            toy = Toy(patient_id=patient, name="stethoscope")
            session.add(toy)
        columns = ("id", "patient_id", "name", "version")
        for practitioner, expected in ((nurse, True), (stranger, False), (former, False)):
            principal = Principal(str(practitioner), frozenset({"nurse"}))
            for _ in range(2):  # the planned statement, then the same again
                with runtime.db.transaction() as session:
                    record, is_member = access.get_with_team_check(session, Toy, toy.id, principal, patient)
                    loaded = session.get(Toy, toy.id)
                    assert {name: getattr(record, name) for name in columns} == \
                        {name: getattr(loaded, name) for name in columns}
                    assert type(record.id) is uuid.UUID and record.version == 1
                    assert is_member is expected == access.may_see_patient(session, principal, patient)
        with runtime.db.transaction() as session:
            assert access.get_with_team_check(session, Toy, uuid.uuid4(),
                                              Principal(str(nurse), frozenset({"nurse"})), patient) is None

    def test_an_older_revision_arriving_late_is_ignored(self, runtime, clock):
        nurse, patient, team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        now = clock.now()
        deliver(runtime, team_event(team, patient, 2, []))
        deliver(runtime, team_event(team, patient, 1, [member(nurse, now - timedelta(days=1))]))
        with runtime.db.transaction() as session:
            assert not access.may_see_patient(session, Principal(str(nurse), frozenset({"nurse"})), patient)


class TestAuditTrail:
    def test_access_is_audited_and_the_chain_verifies(self, client, auth, runtime):
        toy = client.post("/toys", json={"name": "a", "patient_id": str(uuid.uuid4())}, headers=auth()).get_json()
        client.get(f"/toys/{toy['id']}", headers={**auth(), "X-Request-ID": "req-audit-1"})
        assert client.get(f"/toys/{toy['id']}", headers=auth("nurse", sub=uuid.uuid4())).status_code == 403
        trail = audit_trail(runtime)
        assert [(r["action"], r["outcome"]) for r in trail] == [("create", "success"), ("read", "success"),
                                                                 ("read", "denied")]
        assert trail[1]["patient_id"] == toy["patient_id"] and trail[1]["correlation_id"] == "req-audit-1"
        assert trail[1]["roles"] == "coordinator" and trail[2]["roles"] == "nurse"
        with runtime.db.transaction() as session:
            assert audit.verify_chain(session).ok

    def test_a_failed_write_leaves_no_success_record(self, client, auth, runtime):
        toy = client.post("/toys", json={"name": "a", "patient_id": str(uuid.uuid4())}, headers=auth()).get_json()
        assert client.put(f"/toys/{toy['id']}", json={"name": "b"}, headers={**auth(), "If-Match": '"5"'}).status_code == 412
        assert [r["action"] for r in audit_trail(runtime)] == ["create"]

    def test_records_are_append_only(self, runtime):
        with runtime.db.transaction() as session:
            audit.record(session, action="read", resource_type="toy", patient_id="p1")
        with pytest.raises(Exception):
            with runtime.db.transaction() as session:
                session.execute(text("UPDATE audit_records SET actor = 'someone else'"))
        with pytest.raises(Exception):
            with runtime.db.transaction() as session:
                session.execute(text("DELETE FROM audit_records"))

    def test_tampering_breaks_the_chain(self, runtime):
        with runtime.db.transaction() as session:
            for n in range(3):
                audit.record(session, action="read", resource_type="toy", patient_id=f"p{n}")
        # Someone with the table owner's rights works around the trigger...
        with database_owner(runtime) as owner, owner.begin() as session:
            second = session.scalar(text("SELECT seq FROM audit_records ORDER BY seq LIMIT 1 OFFSET 1"))
            postgres = session.dialect.name == "postgresql"
            if postgres:
                session.execute(text("ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only"))
            else:
                session.execute(text("DROP TRIGGER audit_records_no_update"))
            session.execute(text("UPDATE audit_records SET patient_id = 'someone-else' WHERE seq = :s"), {"s": second})
            if postgres:
                session.execute(text("ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only"))
        with runtime.db.transaction() as session:
            report = audit.verify_chain(session)
        assert not report.ok and report.first_broken_seq == second

    def test_concurrent_appends_take_separate_chains_that_each_verify(self, runtime):
        if runtime.db.dialect != "postgresql":
            pytest.skip("SQLite has one writer and one chain")
        import threading
        together = threading.Barrier(4, timeout=20)
        failures = []

        def append(n):
            try:
                with runtime.db.transaction() as session:
                    for k in range(2):
                        audit.record(session, action="read", resource_type="toy", patient_id=f"p{n}-{k}")
                    session.flush()
                    # Every transaction holds its chain until all four have
                    # appended: with a single chain they would wait forever.
                    audit.trail._write_pending(session)
                    together.wait()
            except Exception as error:  # reported below
                failures.append(error)

        threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not failures
        trail = audit_trail(runtime)
        assert len(trail) == 8 and len({record["chain"] for record in trail}) == 4
        with runtime.db.transaction() as session:
            audit.record(session, action="read", resource_type="toy", patient_id="after")
        with runtime.db.transaction() as session:
            assert audit.verify_chain(session).ok

    def test_tampering_in_any_chain_is_found(self, runtime):
        if runtime.db.dialect != "postgresql":
            pytest.skip("SQLite has one chain")
        from carebridge.audit import trail as audit_chain
        with runtime.db.transaction() as first:
            audit.record(first, action="read", resource_type="toy", patient_id="a")
            audit_chain._write_pending(first)
            with runtime.db.transaction() as second:
                # The first transaction holds its chain: this one appends to another.
                audit.record(second, action="read", resource_type="toy", patient_id="b")
        with runtime.db.transaction() as session:
            chains = session.execute(text("SELECT seq, chain FROM audit_records ORDER BY seq")).all()
            assert len({chain for _seq, chain in chains}) == 2
            assert audit.verify_chain(session).ok
            target = chains[-1][0]
        with database_owner(runtime) as owner, owner.begin() as session:
            session.execute(text("ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only"))
            session.execute(text("UPDATE audit_records SET actor = 'someone else' WHERE seq = :s"), {"s": target})
            session.execute(text("ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only"))
        with runtime.db.transaction() as session:
            report = audit.verify_chain(session)
        assert not report.ok and report.first_broken_seq == target

    def test_records_stored_from_their_canonical_text_verify(self, runtime):
        # On PostgreSQL the database reads the columns out of the canonical
        # text whose keyed hash Python computed (kit_i22): they must be
        # exactly what the entry held, non-ASCII text, quotes and backslashes
        # included, or the record would not verify.
        with runtime.db.transaction() as session:
            audit.record(session, action="read", resource_type="toy", resource_id='a "quoted" \\ path',
                         patient_id="Zoë-Ångström-1")
            audit.record(session, action="search", resource_type="toy", patient_id=None)
        with runtime.db.transaction() as session:
            audit.record(session, action="update", resource_type="toy", resource_id="x", patient_id="p2")
        trail = audit_trail(runtime)
        assert [record["patient_id"] for record in trail[-3:]] == ["Zoë-Ångström-1", None, "p2"]
        assert [record["resource_id"] for record in trail[-3:]] == ['a "quoted" \\ path', None, "x"]
        assert [record["action"] for record in trail[-3:]] == ["read", "search", "update"]
        with runtime.db.transaction() as session:
            report = audit.verify_chain(session)
        assert report.ok and report.checked >= 3
