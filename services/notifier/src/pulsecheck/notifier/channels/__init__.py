"""Alert channels: one module each behind `Channel`, listed in `registry`."""
