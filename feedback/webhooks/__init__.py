"""Webhooks: signed events (Standard Webhooks) sent to addresses staff register."""
