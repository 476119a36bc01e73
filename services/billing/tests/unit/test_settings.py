"""Billing's settings are read and checked when the runtime is built: a
misconfigured service stops at start-up rather than at its first payer call."""
import pytest

from carebridge.config import ConfigurationError


@pytest.mark.parametrize("extra, named", [
    ({"PAYER_ADAPTER": "clearinghouse"}, "PAYER_ADAPTER"),
    ({"PAYER_POLL_MINUTES": "0"}, "PAYER_POLL_MINUTES"),
    ({"CLAIM_HOLD_MINUTES": "-5"}, "CLAIM_HOLD_MINUTES"),
    ({"PRIOR_AUTH_WARNING_DAYS": "14,-3"}, "PRIOR_AUTH_WARNING_DAYS"),
    ({"CLAIM_HOLD_MINUTES": "an hour"}, "CLAIM_HOLD_MINUTES"),
])
def test_a_bad_value_stops_the_runtime_and_names_the_variable(make_runtime, service, extra, named):
    with pytest.raises(ConfigurationError, match=named):
        make_runtime(service, extra=extra)


def test_warning_thresholds_are_kept_widest_first_and_once(make_runtime, service):
    runtime = make_runtime(service, extra={"PRIOR_AUTH_WARNING_DAYS": "3,30,3,7"})
    assert runtime.service_settings.prior_auth_warning_days == (30, 7, 3)


def test_the_payer_adapter_is_built_once_per_runtime(runtime):
    assert runtime.dependencies.payer is runtime.dependencies.payer
