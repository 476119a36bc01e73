"""A claim goes to the payer once, however staff and the submission job
race for it: on PostgreSQL (as in production), real threads, one
connection each."""
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from carebridge.testing import deliver, outbox
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
from carebridge_billing.persistence.claims import Claim
from carebridge_billing.service_layer.claim_submission import submission_key
from support import OutagePayer, appointment_event, coverage_body, if_match

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_runtime(request, db_backend, make_runtime, service, runtime_settings, tmp_path):
    """PostgreSQL whatever --db says: this is about its row locks."""
    if db_backend == "postgresql":
        return request.getfixturevalue("runtime")
    url = request.getfixturevalue("postgres_databases").fresh(service, tmp_path)
    return make_runtime(service, database_url=url, **runtime_settings)


class SlowPayer(OutagePayer):
    """Takes its time over a claim: holds each submission until released."""

    def __init__(self):
        super().__init__()
        self.inside = threading.Event()
        self.release = threading.Event()
        self.keys = []

    def submit_claim(self, request):
        self.calls.append("submit_claim")
        self.keys.append(request.idempotency_key)
        self.inside.set()
        assert self.release.wait(20), "never released"
        return self.simulated.submit_claim(request)


def a_due_claim(runtime, client, auth, clock):
    patient = uuid.uuid4()
    assert client.post("/coverages", json=coverage_body(patient), headers=auth("billing")).status_code == 201
    deliver(runtime, appointment_event("completed", patient))
    clock.advance(hours=1)  # past its review hold: the job will send it
    with runtime.db.transaction() as session:
        claim = session.scalars(select(Claim)).one()
    return claim.id, client.get(f"/claims/{claim.id}", headers=auth("billing")).headers["ETag"]


@pytest.mark.parametrize("first", ["job", "staff"])
def test_staff_and_the_job_racing_submit_the_claim_once(pg_runtime, make_app, service, auth, clock, first):
    runtime = pg_runtime
    payer = runtime.dependencies.payer = SlowPayer()
    client = make_app(service, runtime).test_client()
    claim_id, etag = a_due_claim(runtime, client, auth, clock)
    answers = []

    def staff():
        answers.append(client.post(f"/claims/{claim_id}/submit", headers=if_match(auth("billing"), etag)))

    def job():
        answers.append(PAYER_SUBMISSIONS.run(runtime))

    threads = [threading.Thread(target=job if first == "job" else staff),
               threading.Thread(target=staff if first == "job" else job)]
    threads[0].start()
    assert payer.inside.wait(20), "the first sender reached the payer"
    threads[1].start()
    threads[1].join(1)  # the second meets the locked row (it waits, or passes it over)
    payer.release.set()
    for thread in threads:
        thread.join(30)

    assert payer.calls == ["submit_claim"], payer.calls
    assert payer.keys == [f"{claim_id}/0"]
    with runtime.db.transaction() as session:
        claim = session.get(Claim, claim_id)
        assert (claim.status, claim.submission_attempts) == ("submitted", 1)
    assert len(outbox(runtime, "billing.claim-submitted")) == 1
    statuses = sorted(a.status_code for a in answers if not isinstance(a, int))
    # Staff after the job: the claim moved on since they read it.
    assert statuses == {"job": [412], "staff": [200]}[first], statuses


def test_every_attempt_of_one_submission_carries_the_same_key_and_an_appeal_a_new_one():
    claim = Claim(id=uuid.uuid4(), appeal_count=0)
    first = submission_key(claim)
    assert submission_key(claim) == first
    claim.appeal_count = 1
    assert submission_key(claim) != first
