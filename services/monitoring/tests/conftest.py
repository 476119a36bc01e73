"""This suite's own fixtures (the kit's plugin gives runtime, app, client, clock and auth)."""
import pytest

import support


@pytest.fixture
def patient_id(runtime):
    return support.register_patient(runtime)


@pytest.fixture
def coordinator(auth):
    return auth("coordinator")


@pytest.fixture
def gateway(auth):
    return auth("device-gateway", sub="gateway-acme-01")
