"""Reference data the scheduling service ships with, as readable JSON files.
(Appointment types are the kit's shared vocabulary: see domain/appointment_types.py.)

- `locations.json` lists the sites the network opened with. Locations are
  operational data that administrators add and change through the API, so
  they live in a table; a data migration loads this file once.
"""
import json
from importlib import resources


def load(name: str):
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
