"""docs/architecture.md is the contract between the services: its event
catalogue must name every event type and version the kit's catalogue
registers, and nothing the catalogue does not have."""
import re
from pathlib import Path

from carebridge.events import registry

REPOSITORY = Path(__file__).resolve().parents[3]
DOCUMENT = REPOSITORY / "docs" / "architecture.md"
CATALOGUE_PACKAGE = "carebridge.events.catalogue"
# A row of the document's catalogue tables: | `patients.patient-registered` v1 | ...
# (or `*.audit-checkpointed`: a type every service publishes as its own).
CATALOGUE_ROW = re.compile(r"^\|\s*`(?P<type>(?:[a-z]+|\*)\.[a-z0-9-]+)`\s+v(?P<version>\d+)\s*\|", re.MULTILINE)


def catalogued() -> set[tuple[str, int]]:
    """The catalogue's types and versions (schemas registered elsewhere, such
    as the kit's test service, are not part of the contract)."""
    return {(event_type, version) for event_type, version in registry.types()
            if registry.schema(event_type, version).__module__.startswith(CATALOGUE_PACKAGE + ".")}


def documented() -> set[tuple[str, int]]:
    text = DOCUMENT.read_text(encoding="utf-8")
    return {(row["type"], int(row["version"])) for row in CATALOGUE_ROW.finditer(text)}


def test_the_filter_sees_the_catalogue():
    # Otherwise the checks below would pass on an empty set.
    assert ("patients.patient-registered", 1) in catalogued()
    assert not any(event_type.startswith("toys.") for event_type, _v in catalogued())


def test_every_catalogued_event_type_and_version_has_a_row_in_the_document():
    missing = sorted(catalogued() - documented())
    assert not missing, (f"{DOCUMENT.relative_to(REPOSITORY)} has no catalogue row for "
                         + ", ".join(f"{t} v{v}" for t, v in missing)
                         + "; add one: | `<type>` v<version> | published when | consumers and what they do |")


def test_the_document_names_no_event_the_catalogue_lacks():
    unknown = sorted(documented() - catalogued())
    assert not unknown, (f"{DOCUMENT.relative_to(REPOSITORY)} lists "
                         + ", ".join(f"{t} v{v}" for t, v in unknown)
                         + ", which the catalogue does not register")


NOT_CONSUMED_ROW = re.compile(r"^\|\s*`(?P<type>[a-z]+\.[a-z0-9-]+)`\s+v\d+\s*\|.*\|\s*\*\*not consumed yet\*\*",
                              re.MULTILINE)


def test_the_types_the_relay_lets_go_unrouted_are_those_the_document_says_nobody_consumes():
    from carebridge.events.catalogue import NOT_CONSUMED_YET
    said = {row["type"] for row in NOT_CONSUMED_ROW.finditer(DOCUMENT.read_text(encoding="utf-8"))}
    assert said == set(NOT_CONSUMED_YET)
