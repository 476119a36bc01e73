"""Which payer adapter a runtime talks to.

`BILLING_PAYER_ADAPTER=simulated` (the default, and the only adapter built
in) selects the simulated payer; a clearinghouse adapter registers itself
under its own name in `ADAPTERS`. Tests put a stand-in in front of a
runtime with `use_adapter` (an outage, for instance).
"""
from __future__ import annotations

import threading
import weakref
from typing import Callable

from carebridge.config import ConfigurationError

from .interface import PayerAdapter
from .simulated import SimulatedPayer

ADAPTERS: dict[str, Callable[[object], PayerAdapter]] = {
    "simulated": lambda runtime: SimulatedPayer(),
}

_chosen: "weakref.WeakKeyDictionary[object, PayerAdapter]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def adapter_for(runtime) -> PayerAdapter:
    with _lock:
        adapter = _chosen.get(runtime)
        if adapter is None:
            name = runtime.settings.get("PAYER_ADAPTER", "simulated")
            try:
                factory = ADAPTERS[name]
            except KeyError:
                raise ConfigurationError(
                    f"BILLING_PAYER_ADAPTER={name!r} is not a known payer adapter ({', '.join(ADAPTERS)})") from None
            adapter = _chosen[runtime] = factory(runtime)
        return adapter


def use_adapter(runtime, adapter: PayerAdapter) -> None:
    with _lock:
        _chosen[runtime] = adapter
