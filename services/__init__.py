"""The use cases of Meldbot, free of Telegram: each runs as one unit of work.

Handlers narrow an update to plain values, call one use case, and render its result; use cases
decide, write (audit, outbox rows, cancelled schedules) in one transaction, and return values.
What a queued message says is rendered through the `Messages` port (services/ports.py), which
the Telegram adapter implements.
"""
