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
