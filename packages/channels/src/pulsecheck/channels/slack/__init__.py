"""Slack incoming webhooks: configuration, masking, render and send (vetted transport)."""
