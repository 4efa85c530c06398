"""PulseCheck query API and projector."""
