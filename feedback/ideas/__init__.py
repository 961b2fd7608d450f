"""Youth Forum ideas: submit, support, discuss, moderate and answer (demo data in services)."""
