"""Kafka plumbing shared by every service: producer, dead letters, topic creation."""
