"""Signed JSON webhooks: configuration, masking, render and send (vetted transport)."""
