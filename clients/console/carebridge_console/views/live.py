"""The live inbox: the browser's EventSource connects here, and the console
relays the notifications service's stream of the signed-in person's inbox
(their token stays on the server). Each new item becomes an `inbox` event
carrying only its id; the page then reloads its inbox and worklist panels.
"""
from flask import Blueprint, Response, current_app

from .. import auth
from .calls import services

blp = Blueprint("live", __name__)


@blp.get("/live/inbox")
@auth.signed_in
def inbox_stream():
    calls = services()
    gateway = current_app.extensions["carebridge_gateway"]
    upstream = calls.inbox_stream(last_event_id=None)

    def relay():
        try:
            yield "retry: 1000\n\n"
            for event in gateway.events(upstream):
                if event is None:
                    yield ": keep-alive\n\n"
                else:
                    yield f"event: inbox\nid: {event['id']}\ndata: {event['id']}\n\n"
        finally:
            upstream.close()

    return Response(relay(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
