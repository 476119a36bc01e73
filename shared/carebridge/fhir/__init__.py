"""FHIR R4 for every service: what a service needs to answer in FHIR for
the records it owns, under `/fhir/R4/` (docs/architecture.md, FHIR).

A service writes only its mappings (`carebridge_<service>/fhir/`: plain
functions from its rows to FHIR dicts) and declares its resource types once
in a blueprint of its api/ (`fhir_blueprint(...)` with one `FhirResource`
each); the kit gives read, vread, search with paging, the CapabilityStatement,
`application/fhir+json` and errors as OperationOutcome. The services produce
plain dicts; the tests validate them against `fhir.resources`.
"""
from .api import FhirResource, FhirSource, SearchParam, fhir_blueprint, fhir_response
from .bundle import collection_bundle, searchset_bundle
from .capability import capability_statement
from .elements import (FHIR_BASE, FHIR_JSON, SYSTEMS, codeable, coding, fhir_date, fhir_id, instant, meta, money,
                       period, reference, reference_id)
from .outcome import operation_outcome, register_fhir_hooks

__all__ = ["FhirResource", "FhirSource", "fhir_response", "SearchParam", "fhir_blueprint", "collection_bundle", "searchset_bundle",
           "capability_statement", "FHIR_BASE", "FHIR_JSON", "SYSTEMS", "codeable", "coding", "fhir_date", "fhir_id",
           "instant", "meta", "money", "period", "reference", "reference_id", "operation_outcome",
           "register_fhir_hooks"]
