"""Scheduled delivery of the monthly reports and alerts (``shared/spec/sync-and-delivery.md``
§3–4): schedules, when a month's report falls due, the destinations it goes to."""
