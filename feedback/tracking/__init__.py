"""Self-serve tracking: a family follows what happened after it answered."""
