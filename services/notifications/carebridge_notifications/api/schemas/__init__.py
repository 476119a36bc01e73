"""Request and response schemas of the notifications API."""
