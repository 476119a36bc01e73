"""HTTP plumbing every service shares; views import what they need from here."""
from .api import KIT_PATHS, TIME_ZONE, Api, Blueprint
from .app import create_app
from .concurrency import documented_if_match, etag_for, idempotent, require_if_match, with_etag
from .current import current_runtime
from .dumping import dump
from .guards import (allow_services, audited_search, current_principal, deny, ensure_roles, get_patient_scoped,
                     patient_access, patient_scoped, require_roles, service_allowed)
from .pagination import PageArgs, page_from_list, page_of, paged
from .problems import problem
from .session import request_session

__all__ = ["KIT_PATHS", "TIME_ZONE", "Api", "Blueprint", "create_app", "current_runtime", "documented_if_match", "dump",
           "etag_for", "idempotent", "require_if_match", "with_etag", "audited_search", "current_principal", "deny",
           "ensure_roles", "get_patient_scoped", "patient_access", "patient_scoped", "require_roles", "allow_services", "service_allowed",
           "PageArgs", "page_from_list", "page_of", "paged",
           "problem", "request_session"]
