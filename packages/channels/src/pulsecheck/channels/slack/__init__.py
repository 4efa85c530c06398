"""Slack incoming webhooks: configuration, masking, render and send (through the vetted transport)."""
