"""Intake: the feedback form, case routing to recipients, delivery, photos and rate limits."""
