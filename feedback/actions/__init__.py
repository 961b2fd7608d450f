"""“You said, we did”: what families said and what the council did or will do about it."""
