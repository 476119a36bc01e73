"""Reference data the monitoring service ships with, as readable JSON files,
reviewed like code:

- `limits.json`: the default limits and trend rules per condition (heart
  failure, hypertension, diabetes, and a general set), copied onto each
  enrolment when it starts and changed per enrolment afterwards;
- `triage_protocols.json`: the telephone triage protocols, their questions,
  the disposition each answer leads to and the advice read to the caller.
"""
import json
from importlib import resources


def load(name: str):
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
