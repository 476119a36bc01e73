"""Periodic sweeps the worker runs (several workers may run them at once:
the open-episode index keeps each episode to one alert)."""
from .missed_readings import MISSED_READINGS

JOBS = [MISSED_READINGS]
