"""Prometheus metrics shared by every service (label `service` tells them apart
in the dev stack, where all five share one process)."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

http_requests = Counter(
    "carebridge_http_requests_total", "HTTP requests handled",
    ["service", "method", "route", "status"])
http_latency = Histogram(
    "carebridge_http_request_duration_seconds", "Time to answer an HTTP request",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
events_published = Counter(
    "carebridge_events_published_total", "Events the outbox relay published (confirmed by the broker)",
    ["service", "event_type"])
events_unroutable = Counter(
    "carebridge_events_unroutable_total", "Events the broker returned as unroutable (no queue bound to "
    "their type); each stays in the outbox and is tried again", ["service", "event_type"])
events_consumed = Counter(
    "carebridge_events_consumed_total", "Events a consumer finished with, by outcome "
    "(applied, duplicate, retried, dead-lettered, refused)",
    ["service", "event_type", "outcome"])
events_refused = Counter(
    "carebridge_events_refused_total", "Events refused (and dead-lettered) because the broker user that "
    "published them is not the producer of their type", ["service", "event_type"])
events_failed = Counter(
    "carebridge_events_failed_total", "Handler failures (each attempt counts)",
    ["service", "event_type"])
outbox_backlog = Gauge(
    "carebridge_outbox_backlog", "Events written but not yet published",
    ["service"], multiprocess_mode="max")
job_runs = Counter(
    "carebridge_job_runs_total", "Periodic job runs by outcome", ["service", "job", "outcome"])
