"""Who published a message, as far as the broker vouches for it.

Each service's worker logs in to RabbitMQ as its own user and stamps that
user on every message (AMQP `user_id`); the broker refuses a message whose
user_id is not the connection's user, and each user may publish only its
own service's routing keys. So a consumer believes an event only when its
user_id is the user of the service whose type it is: a `patients.*` event
from anyone else (another service's user, or an administrator who may write
anything but is not the patients service) is refused.

A service's consumer republishes into its own queues (retries, dead
letters) and operators replay dead letters with the service's own
credentials: those copies carry the service's own user, so the user the
broker vouched for when the message first arrived travels with them in the
`x-carebridge-published-by` header. The header is believed only on a
message the service's own user published, which nobody else can make.

The in-memory bus of the dev stack and the services' tests has no users:
the relay stamps its service's user name all the same and the same check
runs on it (there it catches mistakes, not attacks: the bus is one process).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PUBLISHED_BY_HEADER = "x-carebridge-published-by"


class RefusedPublisher(Exception):
    """An event whose publisher is not the producer of its type."""


@dataclass(frozen=True)
class BrokerUsers:
    own: str                      # the user this process logs in and publishes as
    of: Callable[[str], str]      # the user a service's worker publishes as

    def producer_of(self, event_type: str) -> str:
        return self.of(event_type.split(".", 1)[0])

    def publisher_of(self, properties: dict, headers: dict | None) -> str | None:
        """The user the broker vouched for: the message's user_id, or for a
        copy this service made itself, the one recorded when it arrived."""
        user = properties.get("user_id") or None
        if user is not None and user == self.own:
            return (headers or {}).get(PUBLISHED_BY_HEADER, user) or None
        return user

    def check(self, event_type: str, publisher: str | None) -> None:
        expected = self.producer_of(event_type)
        if publisher != expected:
            raise RefusedPublisher(f"{event_type} published by {publisher or 'an unnamed user'}, "
                                   f"not by {expected}")
