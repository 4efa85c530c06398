"""What anyone may open without signing in: status pages and badges, served from a cache."""
