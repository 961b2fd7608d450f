"""Notifications in the service and by email."""
