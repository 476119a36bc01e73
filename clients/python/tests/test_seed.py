"""`carebridge seed` loads the demo organisation through the APIs, with a
progress bar, and a second run adds nothing."""
from carebridge_client import CareBridge, DevelopmentToken
from carebridge_client.seed import PATIENTS, STAFF, main


def test_the_demo_organisation_is_loaded_once(base_urls, first_seed, capsys):
    added, progress = first_seed
    assert added["practitioners"] == len(STAFF) == 15 and added["patients"] == len(PATIENTS) == 30
    assert added["care teams"] == 30 and added["care plans"] == 30 and added["coverages"] == 30
    assert added["family members"] and added["allergies"] and added["appointments"] >= 30
    assert added["worklist tasks"] and added["billing issues"] and added["prior authorizations"] == 1
    lines = progress.splitlines()
    assert lines[-1].startswith("[" + "#" * 30 + "]") and "51/51" in lines[-1]

    admin = CareBridge(base_urls, DevelopmentToken("admin"))
    demo = [admin.patients.search(mrn=f"DEMO-{n:04d}").first() for n in range(1, 31)]
    assert all(demo)
    assert len({p.preferred_language for p in demo}) > 10 and len({p.time_zone for p in demo}) > 8
    templates = {t.code for t in admin.careplans.list_plan_templates()}
    plans = [admin.careplans.get(item.id) for p in demo for item in admin.careplans.list(patient_id=p.id)]
    assert {plan.template.code for plan in plans if plan.template} == templates
    assert {"draft", "active"} <= {plan.status for plan in plans}
    overridden = [a for a in admin.careplans.list_medication_alerts() if a.override_reason]
    assert overridden, "one plan carries an overridden interaction"
    claims = [c for p in demo for c in admin.billing.list_claims(patient_id=p.id)]
    assert len(claims) >= 5 and len({c.status for c in claims}) >= 2, "claims in several states"

    assert main(["--timeout", "30", *[f"--base-url={name}={url}" for name, url in base_urls.items()]]) == 0
    assert "nothing added" in capsys.readouterr().out


def test_the_seed_books_only_slots_that_leave_the_patients_own_visits_free():
    """Which slot is the n-th free one depends on the day the seed runs; on a
    Monday it once fell on a patient's Tuesday therapy session, and
    scheduling refused the booking. The seed now passes such slots by."""
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    from carebridge_client.seed import _fitting

    at = datetime(2026, 12, 8, 18, 0, tzinfo=timezone.utc)
    therapy = SimpleNamespace(start=at + timedelta(minutes=30), end=at + timedelta(minutes=75), status="booked")
    cancelled = SimpleNamespace(start=at, end=at + timedelta(minutes=15), status="cancelled")
    cb = SimpleNamespace(scheduling=SimpleNamespace(search_appointments=lambda patient_id: [therapy, cancelled]))
    slots = [SimpleNamespace(start=at + timedelta(minutes=m), end=at + timedelta(minutes=m + 30))
             for m in (0, 15, 45, 75, 90)]

    fitting = [int((slot.start - at).total_seconds() // 60) for slot in _fitting(cb, SimpleNamespace(id="p"), slots)]
    assert fitting == [0, 75, 90]
