"""Signed JSON webhooks: configuration, masking, render and send (through the vetted transport)."""
