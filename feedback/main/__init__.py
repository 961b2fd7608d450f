"""Public pages: home, the surveys open to families, privacy notice, accessibility statement,
cookies, favicon, health check."""
