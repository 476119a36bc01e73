"""Reading the JSON data files shipped inside the package."""
from __future__ import annotations

import json
from importlib import resources


def load(name: str) -> dict:
    return json.loads((resources.files(__package__) / "data" / name).read_text(encoding="utf-8"))
