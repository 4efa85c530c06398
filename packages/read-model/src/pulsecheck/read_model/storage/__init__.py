"""PostgreSQL access of the query API: one module per resource, account-scoped queries."""
