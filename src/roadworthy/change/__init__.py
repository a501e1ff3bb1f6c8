"""Change control: material changes, approvals bound to content, tamper-proof policies."""
