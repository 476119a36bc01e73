"""The payer directory: which payers and plans coverage can be recorded for,
and each plan's policies (prior authorization, exclusions)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .files import load


@dataclass(frozen=True)
class Plan:
    plan_id: str
    name: str
    # Service code -> how many units to ask for when a booking needs authorization.
    prior_auth_units: dict[str, int] = field(default_factory=dict)
    not_covered: frozenset[str] = frozenset()

    def needs_prior_auth(self, service_code: str) -> bool:
        return service_code in self.prior_auth_units

    def covers(self, service_code: str) -> bool:
        return service_code not in self.not_covered


@dataclass(frozen=True)
class Payer:
    payer_id: str
    name: str
    plans: dict[str, Plan]


class PayerDirectory:
    def __init__(self, payers: dict[str, Payer]):
        self.payers = payers

    def payer(self, payer_id: str) -> Payer | None:
        return self.payers.get(payer_id)

    def plan(self, payer_id: str, plan_id: str) -> Plan | None:
        payer = self.payers.get(payer_id)
        return payer.plans.get(plan_id) if payer else None


def parse(raw: dict) -> PayerDirectory:
    payers = {}
    for item in raw["payers"]:
        plans = {
            plan["plan_id"]: Plan(plan_id=plan["plan_id"], name=plan["name"],
                                  prior_auth_units={code: int(rule["units"]) for code, rule in plan["prior_auth"].items()},
                                  not_covered=frozenset(plan["not_covered"]))
            for plan in item["plans"]}
        payers[item["payer_id"]] = Payer(payer_id=item["payer_id"], name=item["name"], plans=plans)
    return PayerDirectory(payers)


@lru_cache(maxsize=1)
def payer_directory() -> PayerDirectory:
    return parse(load("payers.json"))
