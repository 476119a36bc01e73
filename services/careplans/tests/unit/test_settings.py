"""The service's own settings come from CAREPLANS_* variables."""
import pytest

from carebridge.config import ConfigurationError, Settings, load_service_settings
from carebridge_careplans.settings import CarePlanSettings


def test_defaults_and_overrides():
    assert load_service_settings(CarePlanSettings, Settings.from_env("careplans", {})) == CarePlanSettings()
    settings = Settings.from_env("careplans", {"CAREPLANS_MISSED_DOSE_THRESHOLD": "5",
                                               "CAREPLANS_OUTREACH_DUE_HOURS": "4"})
    loaded = load_service_settings(CarePlanSettings, settings)
    assert (loaded.missed_dose_threshold, loaded.outreach_due_hours) == (5, 4)


@pytest.mark.parametrize("value", ["three", "0"])
def test_nonsense_is_refused(value):
    with pytest.raises(ConfigurationError):
        load_service_settings(CarePlanSettings,
                              Settings.from_env("careplans", {"CAREPLANS_ADHERENCE_WINDOW_DAYS": value}))


def test_check_in_hours_per_setting():
    """Issue 25, item 14 (c): the post-visit check-in is due per the visit's clinical setting."""
    default = CarePlanSettings()
    assert default.visit_check_in_due_after("hospital").total_seconds() == 24 * 3600
    assert default.visit_check_in_due_after("outpatient-clinic").total_seconds() == 48 * 3600
    assert default.visit_check_in_due_after(None).total_seconds() == 48 * 3600
    changed = load_service_settings(CarePlanSettings, Settings.from_env("careplans", {
        "CAREPLANS_VISIT_CHECK_IN_DUE_HOURS_BY_SETTING": "home-telehealth=12", "CAREPLANS_VISIT_CHECK_IN_DUE_HOURS": "36"}))
    assert changed.visit_check_in_due_after("home-telehealth").total_seconds() == 12 * 3600
    assert changed.visit_check_in_due_after("hospital").total_seconds() == 36 * 3600
    for bad in ("spa=3", "hospital=0", "hospital=soon", "hospital=2;hospital=3"):
        with pytest.raises(ConfigurationError):
            load_service_settings(CarePlanSettings, Settings.from_env("careplans", {
                "CAREPLANS_VISIT_CHECK_IN_DUE_HOURS_BY_SETTING": bad}))
