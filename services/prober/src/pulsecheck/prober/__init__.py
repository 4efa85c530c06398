"""PulseCheck prober service."""
