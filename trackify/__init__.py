"""Trackify's project package: settings, URLs and the Celery application."""

from trackify.celery import app as celery_app

__all__ = ["celery_app"]
