"""PulseCheck scheduler service."""
