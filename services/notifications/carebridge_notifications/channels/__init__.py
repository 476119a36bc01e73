"""Adapters that carry a delivery out: email, SMS and webhooks. Each takes an
`OutgoingMessage` and says what happened (`Outcome`); none touches the
database."""
