"""The read-only JSON API (/api/v1/) for the council's reporting tools, and its tokens."""
