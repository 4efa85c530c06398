"""SMS through Twilio: configuration, masking, settings, render and send."""
