"""Data protection: retention and purging, access and erasure requests, and the audit
records other features owe (role changes, exports) added without touching their code."""
