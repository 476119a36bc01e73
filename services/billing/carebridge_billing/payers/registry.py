"""The payer adapters billing knows, by the name BILLING_PAYER_ADAPTER
gives: the simulated payer (the default, and the only one built in); a
clearinghouse adapter registers here under its own name. The runtime's
adapter is `runtime.dependencies.payer` (see `dependencies.py`).
"""
from __future__ import annotations

from typing import Callable

from .interface import PayerAdapter
from .simulated import SimulatedPayer

ADAPTERS: dict[str, Callable[[object], PayerAdapter]] = {
    "simulated": lambda runtime: SimulatedPayer(),
}
