"""Responses: families and young people answering a survey, and staff entering replies."""
