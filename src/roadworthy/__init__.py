"""roadworthy: policy-as-code checks that keep AI/ML systems fit for production."""

__version__ = "0.1.0"
