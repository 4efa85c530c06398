"""PulseCheck admin CLI: accounts and API keys."""
