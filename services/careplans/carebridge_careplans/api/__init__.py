"""HTTP endpoints of the careplans service."""


def register_api(api) -> None:
    """Register every blueprint of this service on the flask-smorest Api."""
