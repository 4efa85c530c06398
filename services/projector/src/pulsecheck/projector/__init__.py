"""The projector: Kafka topics → PostgreSQL read model, idempotent, rebuildable."""
