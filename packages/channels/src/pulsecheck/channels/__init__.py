"""PulseCheck alert channels: one folder per channel (config, masking, settings, render, send),
listed in `registry.REGISTRY`."""
