"""``roadworthy evidence``: per component and framework clause, what the repository evidences."""
