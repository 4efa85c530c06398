"""Local stand-ins for what the notifier talks to: check results, Twilio, SES, Slack, webhooks."""
