"""The billing service's long-lived collaborators, built once per runtime
(`runtime.dependencies`). A test replaces one by assigning it:
`runtime.dependencies.payer = OutagePayer()`."""
from __future__ import annotations

from functools import cached_property

from .payers import PayerAdapter
from .payers.registry import ADAPTERS


class BillingDependencies:
    def __init__(self, runtime):
        self.runtime = runtime

    @cached_property
    def payer(self) -> PayerAdapter:
        """The adapter BILLING_PAYER_ADAPTER names."""
        return ADAPTERS[self.runtime.service_settings.payer_adapter](self.runtime)
