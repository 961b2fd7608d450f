"""Work that follows a submitted response: text analysis, inline or on an RQ queue."""


def response_submitted(response_id: int) -> None:
    """Called after a response is stored; analysis of free text hooks in here."""
