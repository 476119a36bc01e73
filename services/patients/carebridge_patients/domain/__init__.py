"""Rules of the patients service as plain Python: no Flask, no database."""
