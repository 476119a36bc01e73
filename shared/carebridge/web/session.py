"""One database transaction per request.

Views and the service layer take the session from `request_session()`; the
kit commits it after a successful response (status below 400) and rolls it
back otherwise. The outbox rows, audit records and idempotency record written
during the request therefore commit with the state change, or not at all.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, g
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .current import current_runtime
from .problems import problem

log = logging.getLogger(__name__)


def request_session() -> Session:
    session = g.get("_carebridge_session")
    if session is None:
        session = current_runtime().db.sessions()
        session.begin()
        g._carebridge_session = session
    return session


def finish_request_transaction(response: Response) -> Response:
    session: Session | None = g.pop("_carebridge_session", None)
    if session is None:
        return response
    try:
        if response.status_code < 400:
            try:
                session.commit()
            except StaleDataError:
                session.rollback()
                return problem(412, "The resource changed since you read it; read it again and retry.")
            except IntegrityError:
                session.rollback()
                log.warning("a write clashed with a database constraint at commit")
                return problem(409, "The request conflicts with existing data.")
            except DataError:
                session.rollback()
                log.warning("a value could not be stored at commit")
                return problem(422, "A value in the request cannot be stored (out of range or containing "
                                    "characters such as NUL).")
            except OperationalError:
                session.rollback()
                log.exception("database unavailable at commit")
                return problem(503, "The service's database is unavailable; try again shortly.",
                               headers={"Retry-After": "5"})
        else:
            session.rollback()
    finally:
        session.close()
    return response


def discard_request_transaction(_exc=None) -> None:
    session: Session | None = g.pop("_carebridge_session", None)
    if session is not None:
        session.rollback()
        session.close()


def register_session_hooks(app: Flask) -> None:
    app.after_request(finish_request_transaction)
    app.teardown_request(discard_request_transaction)
