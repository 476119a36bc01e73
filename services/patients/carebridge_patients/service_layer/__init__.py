"""Use cases of the patients service: plain functions taking the session.
They raise carebridge.errors for rule and state errors, write events to the
outbox in the caller's transaction, and never look at HTTP."""
