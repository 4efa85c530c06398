"""Contracts every PulseCheck service imports: events, topics, settings, Kafka helpers."""
