"""docs/settings.md, the table of every environment variable, is what
`carebridge settings` generates from the declarations in the code."""
from pathlib import Path

from carebridge.config import declared_settings
from carebridge.runtime.discovery import installed_services
from carebridge.settings_table import markdown

TABLE = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_the_committed_settings_table_is_current():
    assert TABLE.read_text(encoding="utf-8") == markdown(installed_services()), (
        "docs/settings.md is out of date: run `.venv/bin/carebridge settings > docs/settings.md`")


def test_every_service_setting_is_in_the_table():
    table = TABLE.read_text(encoding="utf-8")
    for name, service in installed_services().items():
        if service.settings is None:
            continue
        for item in declared_settings(service.settings):
            assert f"| `{item.env}` | {name} |" in table
