"""The safeguarding queue: flagged text for the safeguarding lead, and the audit log."""
