"""The careplans service's own settings, from the environment like the
kit's (`CAREPLANS_MISSED_DOSE_THRESHOLD=5`, or the plain name)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebridge.config import checked_by, mapping_of, setting
from carebridge.events.catalogue.common import CLINICAL_SETTINGS


# "hospital=24;nursing-home=72" -> {"hospital": 24, "nursing-home": 72}
hours_by_setting = mapping_of(int, keys=CLINICAL_SETTINGS, minimum=1)


@dataclass(frozen=True)
class CarePlanSettings:
    missed_dose_threshold: int = setting(3, "Missed doses of one medication within the adherence window "
                                            "that open an adherence review task.", minimum=1)
    adherence_window_days: int = setting(7, "Days over which missed doses are counted.", minimum=1)
    outreach_due_hours: int = setting(24, "Hours after a missed visit by which the outreach task "
                                          "(urgent) is due.", minimum=1)
    visit_check_in_due_hours: int = setting(48, "Hours after a completed visit by which the check-in "
                                                "task is due.", minimum=1)
    visit_check_in_due_hours_by_setting: str = setting(
        "hospital=24;nursing-home=72",
        "Per clinical setting of the completed visit, hours by which its check-in task is due, as "
        "'setting=hours;...'; a setting not named uses VISIT_CHECK_IN_DUE_HOURS. Default: hospital=24 (after a "
        "hospital procedure the team checks the next day), nursing-home=72 (the facility's staff see the "
        "resident daily).", parse=checked_by(hours_by_setting))
    adherence_review_due_hours: int = setting(72, "Hours after it opens by which an adherence review "
                                                  "task is due.", minimum=1)
    discharge_check_in_due_hours: int = setting(48, "Hours after a hospital discharge by which the "
                                                    "post-discharge check-in task is due.", minimum=1)
    medication_reconciliation_due_hours: int = setting(48, "Hours after a hospital discharge by which the "
                                                           "nurse's medication reconciliation task is due.",
                                                       minimum=1)
    worse_check_in_due_hours: int = setting(4, "Hours after a check-in recorded as worsening by which the "
                                               "nurse's urgent review task is due.", minimum=1)

    @property
    def adherence_window(self) -> timedelta:
        return timedelta(days=self.adherence_window_days)

    @property
    def outreach_due(self) -> timedelta:
        return timedelta(hours=self.outreach_due_hours)

    @property
    def visit_check_in_due(self) -> timedelta:
        return timedelta(hours=self.visit_check_in_due_hours)

    def visit_check_in_due_after(self, clinical_setting: str | None) -> timedelta:
        """How long after a completed visit of this setting its check-in is due (issue 25, item 14)."""
        hours = hours_by_setting(self.visit_check_in_due_hours_by_setting).get(clinical_setting or "",
                                                                               self.visit_check_in_due_hours)
        return timedelta(hours=hours)

    @property
    def adherence_review_due(self) -> timedelta:
        return timedelta(hours=self.adherence_review_due_hours)

    @property
    def worse_check_in_due(self) -> timedelta:
        return timedelta(hours=self.worse_check_in_due_hours)

    @property
    def discharge_check_in_due(self) -> timedelta:
        return timedelta(hours=self.discharge_check_in_due_hours)

    @property
    def medication_reconciliation_due(self) -> timedelta:
        return timedelta(hours=self.medication_reconciliation_due_hours)
