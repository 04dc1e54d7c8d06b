"""Laurel: contests, judging, honours and events for a federation of trade unions."""

from laurel.celery import app as celery_app

__all__ = ["celery_app"]
