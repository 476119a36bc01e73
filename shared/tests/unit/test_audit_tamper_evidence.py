"""The audit trail shows tampering, including the removal of its newest
records (docs/architecture.md, Audit trail): a keyed chain that nobody
without the key can recompute, signed checkpoints of each chain's head kept
outside the service's database, and a runtime database role that may read
and append audit records but not change or remove them.

The attacks below are made with the rights of the database's owner (who can
switch the append-only triggers off), which the service itself no longer
has."""
import hashlib
import json
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from carebridge import audit
from carebridge.audit import checkpoints
from carebridge.testing import audit_trail, database_owner


def append(runtime, count: int, tag: str = "p") -> None:
    with runtime.db.transaction() as session:
        for n in range(count):
            audit.record(session, action="read", resource_type="toy", patient_id=f"{tag}-{n}")


def as_owner(runtime, *statements: str, params: dict | None = None) -> None:
    """Run `statements` with the owner's rights, append-only triggers off."""
    with database_owner(runtime) as owner, owner.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.exec_driver_sql("ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only")
        else:
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_records_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_records_no_delete")
        for statement in statements:
            connection.execute(text(statement), params or {})
        if postgres:
            connection.exec_driver_sql("ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only")


def verify(runtime):
    return audit.verify_trail(runtime.db, runtime.audit_keys, runtime.service.name,
                              checkpoints.read_checkpoints([checkpoints.checkpoint_file(runtime.settings,
                                                                                        runtime.service.name)]))


def kinds(report) -> list[str]:
    return [finding["kind"] for finding in report.findings]


@pytest.fixture
def runtime_settings(tmp_path):
    return {"audit_checkpoint_dir": tmp_path / "checkpoints"}


def test_an_untouched_trail_verifies_against_its_checkpoint(runtime):
    append(runtime, 5)
    written = checkpoints.write_checkpoint(runtime)
    assert written is not None
    append(runtime, 2)
    report = verify(runtime)
    assert report.ok, report.findings
    assert report.checked == 7 and report.unconfirmed == 2
    assert report.checkpoint["checkpointed_at"] == written["checkpointed_at"]


def test_deleting_the_newest_records_is_reported_as_a_deleted_tail(runtime):
    append(runtime, 6)
    checkpoints.write_checkpoint(runtime)
    newest = [row["seq"] for row in audit_trail(runtime)][-3:]
    as_owner(runtime, f"DELETE FROM audit_records WHERE seq >= {newest[0]}")
    report = verify(runtime)
    assert not report.ok
    tails = [finding for finding in report.findings if finding["kind"] == "deleted-tail"]
    assert tails and max(finding["seq"] for finding in tails) == newest[-1], report.findings
    assert "deleted" in tails[0]["detail"]


def test_a_tail_deleted_and_then_checkpointed_short_is_still_reported(runtime, caplog):
    # The job only sees the database: after the deletion it checkpoints the
    # shorter chain. The earlier checkpoint still says how far it reached.
    append(runtime, 6)
    checkpoints.write_checkpoint(runtime)
    newest = [row["seq"] for row in audit_trail(runtime)][-2:]
    as_owner(runtime, f"DELETE FROM audit_records WHERE seq >= {newest[0]}")
    assert checkpoints.write_checkpoint(runtime) is not None
    assert "shorter than at its last checkpoint" in caplog.text
    report = verify(runtime)
    assert not report.ok and "deleted-tail" in kinds(report)
    assert report.checkpoint["checkpoints"] == 2


def test_deleting_every_record_is_reported(runtime):
    append(runtime, 4)
    checkpoints.write_checkpoint(runtime)
    as_owner(runtime, "DELETE FROM audit_records")
    report = verify(runtime)
    assert not report.ok and report.checked == 0
    assert "deleted-tail" in kinds(report)


def test_an_altered_record_is_reported(runtime):
    append(runtime, 3)
    checkpoints.write_checkpoint(runtime)
    second = [row["seq"] for row in audit_trail(runtime)][1]
    as_owner(runtime, "UPDATE audit_records SET actor = 'someone else' WHERE seq = :seq", params={"seq": second})
    report = verify(runtime)
    assert not report.ok
    assert {"kind": "altered", "seq": second} == {k: v for k, v in report.findings[0].items() if k in ("kind", "seq")}


def test_a_record_removed_from_the_middle_is_reported_as_a_gap(runtime):
    append(runtime, 4)
    seqs = [row["seq"] for row in audit_trail(runtime)]
    as_owner(runtime, "DELETE FROM audit_records WHERE seq = :seq", params={"seq": seqs[1]})
    report = verify(runtime)
    assert not report.ok and "gap" in kinds(report)


def test_recomputing_the_hashes_without_the_key_does_not_hide_a_change(runtime):
    # The chain used to be plain SHA-256: whoever could write to the table
    # could change a record and recompute every hash after it.
    append(runtime, 3)
    trail = audit_trail(runtime)
    previous = trail[0]["prev_hash"]
    statements, params = [], {}
    for n, row in enumerate(trail):
        fields = {name: row[name] for name in ("actor", "roles", "action", "resource_type", "resource_id",
                                               "patient_id", "correlation_id", "outcome")}
        if n == 1:
            fields["actor"] = "someone else"
        canonical = json.dumps({**fields, "recorded_at": row["recorded_at"].isoformat()}, sort_keys=True,
                               separators=(",", ":"))
        digest = hashlib.sha256((previous + canonical).encode()).hexdigest()
        statements.append(f"UPDATE audit_records SET actor = :actor{n}, prev_hash = :prev{n}, hash = :hash{n} "
                          f"WHERE seq = :seq{n}")
        params.update({f"actor{n}": fields["actor"], f"prev{n}": previous, f"hash{n}": digest, f"seq{n}": row["seq"]})
        previous = digest
    as_owner(runtime, *statements, params=params)
    report = verify(runtime)
    assert not report.ok and "altered" in kinds(report)


def test_a_checkpoint_not_signed_by_the_services_key_is_not_believed(runtime, tmp_path):
    append(runtime, 2)
    written = checkpoints.write_checkpoint(runtime)
    forged = {**written, "chains": [{**chain, "seq": chain["seq"] + 100} for chain in written["chains"]]}
    path = checkpoints.checkpoint_file(runtime.settings, runtime.service.name)
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(forged) + "\n")
    report = verify(runtime)
    assert not report.ok and "checkpoint-invalid" in kinds(report)
    assert report.checkpoint["checkpointed_at"] == written["checkpointed_at"]


def test_no_checkpoint_means_a_deleted_tail_cannot_be_ruled_out(runtime):
    append(runtime, 2)
    report = verify(runtime)
    assert not report.ok and kinds(report) == ["no-checkpoint"]


def test_a_checkpoint_is_written_only_when_a_chain_moved(runtime):
    append(runtime, 1)
    assert checkpoints.write_checkpoint(runtime) is not None
    assert checkpoints.write_checkpoint(runtime) is None
    append(runtime, 1)
    assert checkpoints.write_checkpoint(runtime) is not None
    lines = checkpoints.checkpoint_file(runtime.settings, runtime.service.name).read_text().splitlines()
    assert len(lines) == 2


def test_the_checkpoint_is_published_for_another_service_to_keep(runtime):
    from carebridge.testing import outbox
    append(runtime, 1)
    written = checkpoints.write_checkpoint(runtime)
    [event] = outbox(runtime, "toys.audit-checkpointed")
    assert event.data["signature"] == written["signature"]
    assert [chain["seq"] for chain in event.data["chains"]] == [chain["seq"] for chain in written["chains"]]


class TestRuntimeDatabaseRole:
    """On PostgreSQL the service runs as a role that may read and append
    audit records, nothing else (SQLite has no roles: its triggers are all
    there is)."""

    @pytest.fixture(autouse=True)
    def postgresql_only(self, runtime):
        if runtime.db.dialect != "postgresql":
            pytest.skip("SQLite has no database roles")

    @pytest.mark.parametrize("statement", [
        "UPDATE audit_records SET actor = 'x'",
        "DELETE FROM audit_records",
        "TRUNCATE audit_records",
        "ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only",
        "TRUNCATE audit_checkpoints",
        "DELETE FROM audit_checkpoints",
    ])
    def test_the_runtime_role_cannot_change_or_remove_audit_records(self, runtime, statement):
        append(runtime, 1)
        with pytest.raises(ProgrammingError) as refused:
            with runtime.db.transaction() as session:
                session.execute(text(statement))
        assert refused.value.orig.sqlstate in ("42501",), refused.value.orig.sqlstate  # insufficient_privilege
        assert len(audit_trail(runtime)) == 1

    def test_the_runtime_role_appends_and_reads(self, runtime):
        append(runtime, 2, tag=str(uuid.uuid4()))
        assert len(audit_trail(runtime)) == 2
        with runtime.db.transaction() as session:
            owner = session.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_records'"))
            me = session.scalar(text("SELECT current_user"))
        assert owner != me
