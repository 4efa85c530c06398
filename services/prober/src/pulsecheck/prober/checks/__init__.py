"""The check library: one module per kind behind one signature, importable without Kafka."""
