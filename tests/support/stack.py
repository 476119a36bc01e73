"""The real stack for the whole-stack tests: the kit's stack (the
`carebridge.stack` pytest plugin's `carebridge.stack.real`), under the names
these tests have always used."""
from carebridge.stack.real import (SERVICES, Stack, eventually, parse_metrics, start_stack, stop_stack,
                                   timedelta)

__all__ = ["Stack", "start_stack", "stop_stack", "eventually", "timedelta", "SERVICES", "parse_metrics"]
