"""Email through Amazon SES v2: configuration, masking, settings, render and send."""
