"""Surveys: building them (staff), co-designing them (partner groups) and their life cycle."""
