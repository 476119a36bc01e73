"""Staff apps' view of the stack: the Python client as one user (the kit's
`carebridge.stack.users`: `Client` is the client's raw layer, `.typed` its
typed namespaces)."""
from carebridge.stack.users import Client, ok, token

__all__ = ["Client", "ok", "token"]
