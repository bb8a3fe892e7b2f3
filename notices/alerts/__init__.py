"""Alerts by area: subscribing with double opt-in, the links that manage and end a
subscription, which subscriptions a published page reaches, and sending (at once, or in the
daily digest) through the outbox. docs/alerts.md."""
