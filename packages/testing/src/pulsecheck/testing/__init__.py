"""PulseCheck test support: stand-ins and real-Kafka helpers for every suite, e2e and bench."""
