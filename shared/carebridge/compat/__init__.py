"""The compatibility gate: the event catalogue and each service's OpenAPI
document compared with another git revision (`carebridge events check
--against REF`, `carebridge openapi check --against REF`; `make test` runs
both against the previous commit). What counts as incompatible is in
`events.py` and `openapi.py`; how the other revision is described, in
`revisions.py`."""
from .events import compare_events
from .openapi import compare_documents, compare_openapi
from .revisions import RevisionError, describe, describe_both

__all__ = ["RevisionError", "compare_documents", "compare_events", "compare_openapi", "describe", "describe_both"]
