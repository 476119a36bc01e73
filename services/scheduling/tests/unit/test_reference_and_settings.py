import pytest

from carebridge.config import ConfigurationError, Settings, load_service_settings
from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge_scheduling import reference
from carebridge_scheduling.domain.appointment_types import AppointmentType, AppointmentTypeCatalogue
from carebridge_scheduling.service_layer.appointment_types import catalogue
from carebridge_scheduling.settings import SchedulingSettings

# The table all teams agreed on (billing keys fees on service_code).
SHARED_CODES = {
    "new-patient": ("99204", 45, "outpatient-clinic", "primary-care"),
    "follow-up": ("99214", 30, "outpatient-clinic", "primary-care"),
    "cardiology-follow-up": ("99214", 30, "outpatient-clinic", "specialist"),
    "specialist-consult": ("99244", 45, "outpatient-clinic", "specialist"),
    "physical-therapy": ("97110", 45, "outpatient-clinic", "therapy"),
    "telehealth-check-in": ("G2012", 15, "home-telehealth", "telehealth"),
    "echocardiogram": ("93306", 60, "hospital", "imaging"),
    "mri-lumbar-spine": ("72148", 60, "hospital", "imaging"),
}


def test_the_migration_seeds_exactly_the_shared_codes(runtime):
    with runtime.db.transaction() as session:
        assert {t.code: (t.service_code, t.duration_minutes, t.setting, t.billing_category)
                for t in catalogue(session).all()} == SHARED_CODES


def test_a_broken_catalogue_is_refused():
    good = AppointmentType("x", "X", "1", 30, "hospital", "imaging")
    with pytest.raises(ValueError):
        AppointmentTypeCatalogue([good, good])
    with pytest.raises(ValueError):
        AppointmentTypeCatalogue([AppointmentType("y", "Y", "1", 30, "moon-base", "imaging")])
    with pytest.raises(ValueError):
        AppointmentTypeCatalogue([AppointmentType("z", "Z", "1", 0, "hospital", "imaging")])


def test_seed_locations_cover_every_setting():
    assert {row["setting"] for row in reference.load("locations.json")} == set(CLINICAL_SETTINGS)


def settings(**env):
    return load_service_settings(SchedulingSettings, Settings.from_env("scheduling", {f"SCHEDULING_{k}": v
                                                                                       for k, v in env.items()}))


def test_defaults_and_overrides_from_the_environment():
    default = settings()
    assert default.noshow_grace_minutes == 15 and default.reminder_offsets_minutes == (1440, 120)
    assert default.waitlist_hold.total_seconds() == 7200
    changed = settings(NOSHOW_GRACE_MINUTES="20", REMINDER_OFFSETS_MINUTES="60", WAITLIST_HOLD_MINUTES="30")
    assert (changed.noshow_grace_minutes, changed.reminder_offsets_minutes) == (20, (60,))


@pytest.mark.parametrize("env", [{"NOSHOW_GRACE_MINUTES": "soon"}, {"REMINDER_OFFSETS_MINUTES": "0"},
                                 {"WAITLIST_HOLD_MINUTES": "0"}, {"TELEHEALTH_JOIN_BASE_URL": "http://x"}])
def test_impossible_settings_are_refused_at_start(env):
    with pytest.raises(ConfigurationError):
        settings(**env)


def test_reminder_offsets_per_clinical_setting():
    """Issue 25, item 14 (c): nursing homes get the day-before reminder only; the others today's two."""
    default = settings()
    assert default.reminder_offsets_for("nursing-home") == (1440,)
    assert default.reminder_offsets_for("outpatient-clinic") == (1440, 120)
    changed = settings(REMINDER_OFFSETS_BY_SETTING="hospital=2880,1440; home-telehealth=30")
    assert changed.reminder_offsets_for("hospital") == (2880, 1440)
    assert changed.reminder_offsets_for("home-telehealth") == (30,)
    assert changed.reminder_offsets_for("nursing-home") == (1440, 120)  # no longer named: the general offsets
    for bad in ("spa=60", "hospital=", "hospital=0", "hospital=soon", "hospital=60;hospital=30"):
        with pytest.raises(ConfigurationError):
            settings(REMINDER_OFFSETS_BY_SETTING=bad)
