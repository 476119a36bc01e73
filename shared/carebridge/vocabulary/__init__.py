"""Codes every service must read the same way: they travel in events and
API calls between services, so a private copy in one service would drift.
Each list is a contract; change it through review, with every service's
tests, like the event catalogue."""
