"""A tiny service defined inside the kit's tests, so the kit is proven
without waiting for the real services: toys belong to a patient, can be
created (idempotently), read (with access check and audit), updated (with
If-Match) and listed; its consumer counts `toys.toy-counted` events."""
