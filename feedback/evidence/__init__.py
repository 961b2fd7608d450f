"""Evidence of co-production: the log, reach against the SEND population, and the evidence pack."""
