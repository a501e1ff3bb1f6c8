"""Leaf readers of the formats roadworthy reads; they import nothing else from roadworthy."""
