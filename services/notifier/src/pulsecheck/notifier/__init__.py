"""PulseCheck notifier service."""
