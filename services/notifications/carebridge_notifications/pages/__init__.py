"""Pages for patients and family (no staff token: a signed link is the
credential), served by the notifications service outside its API."""
from .message_page import PREFIX, blueprint


def register_pages(app) -> None:
    app.register_blueprint(blueprint)


__all__ = ["PREFIX", "register_pages"]
