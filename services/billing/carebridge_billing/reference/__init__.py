"""Reference data billing works from: the fee schedule, the payer directory
(plans and their prior-auth and coverage policies), the claim adjustment
reason codes, and the simulated payer's behaviour. The appointment types and
billing categories are not billing's: they are the kit's shared vocabulary
(`carebridge.vocabulary.appointment_types`), read the same way by every
service.

Why files in the package rather than tables seeded by a data migration: all
of it changes only with a release (a new year's price list, a payer policy
update), is reviewed like code, and must be identical in every process of a
version. Loading it once at start-up from readable JSON keeps it in one
reviewable place with its history in git, and needs no database write on
start. Nothing that happened is derived from it later: a charge copies the
price in force on its service date and a claim keeps its own amounts, so a
new price list never rewrites the past. A fee schedule that staff edit at
run time would move to a table with effective dates; the loader's interface
(`fee_schedule().price_on(...)`) is what the rest of the service uses.
"""
from .fee_schedule import FeeScheduleEntry, fee_schedule
from .payers import Payer, PayerDirectory, Plan, payer_directory
from .reasons import describe_reason

__all__ = ["FeeScheduleEntry", "fee_schedule", "Payer", "PayerDirectory",
           "Plan", "payer_directory", "describe_reason"]
