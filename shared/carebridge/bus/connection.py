"""Broker connections: publisher confirms on, heartbeats on, and one place
that knows which exceptions mean "the broker is not there right now"."""
from __future__ import annotations

import socket

import amqp.exceptions
import kombu.exceptions
from kombu import Connection

HEARTBEAT_SECONDS = 20

# Errors after which the right move is to drop the connection, wait and
# connect again (as opposed to a bug in our own code).
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    kombu.exceptions.OperationalError,
    kombu.exceptions.ConnectionError,
    amqp.exceptions.ConnectionError,
    amqp.exceptions.ChannelError,
    amqp.exceptions.RecoverableConnectionError,
    amqp.exceptions.MessageNacked,
    ConnectionError,
    socket.timeout,
    OSError,
)


def open_connection(broker_url: str) -> Connection:
    if broker_url.startswith("memory://"):
        # The in-memory transport polls its queues; its default of once a
        # second would make the dev stack feel sluggish.
        return Connection(broker_url, transport_options={"polling_interval": 0.005})
    return Connection(
        broker_url,
        heartbeat=HEARTBEAT_SECONDS,
        connect_timeout=5,
        transport_options={"confirm_publish": True, "confirm_timeout": 10},
    )


def broker_reachable(broker_url: str, timeout: float = 3.0) -> bool:
    if broker_url.startswith("memory://"):
        return True
    connection = Connection(broker_url, connect_timeout=timeout)
    try:
        connection.connect()
        return True
    except BROKER_ERRORS:
        return False
    finally:
        connection.release()
