"""Local stand-ins for what PulseCheck talks to: Twilio, SES (moto), Slack and webhook receivers."""
