"""The running service's dependencies, as a view needs them."""
from __future__ import annotations

from flask import current_app

from ..config import BillingSettings
from ..payers import PayerAdapter, adapter_for


def current_runtime():
    return current_app.extensions["carebridge"]


def payer_adapter() -> PayerAdapter:
    return adapter_for(current_runtime())


def billing_settings() -> BillingSettings:
    return BillingSettings.of(current_runtime())
