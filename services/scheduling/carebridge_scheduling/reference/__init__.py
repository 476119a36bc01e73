"""Reference data the scheduling service ships with, as readable JSON files.

- `appointment_types.json` is the catalogue of visit types. Its codes are a
  contract with other teams (billing keys its fee schedule on `service_code`,
  care-plan templates name `code`), so a change to it is a reviewed code
  change deployed with the code that reads it. It is therefore read from the
  package, not kept in a table: every replica holds the same catalogue, there
  is nothing to synchronise and nothing that could be stale. Appointments copy
  the service code, setting and duration they were booked with, so history
  does not change when the catalogue does.
- `locations.json` lists the sites the network opened with. Locations are
  operational data that administrators add and change through the API, so
  they live in a table; a data migration loads this file once.
"""
import json
from importlib import resources


def load(name: str):
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
