"""Readiness gates: the evidence a component's stage rests on, and the stage criteria judged
against it (the ``evaluation`` check kind, the promotion rule and the verdict in reports)."""
