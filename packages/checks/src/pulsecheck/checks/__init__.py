"""PulseCheck checks: every check kind and the one outbound connector."""
