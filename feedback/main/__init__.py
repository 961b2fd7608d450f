"""Public pages: home, privacy notice, accessibility statement, cookies, health check."""
