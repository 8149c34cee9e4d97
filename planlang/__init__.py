"""planlang: a checked plan specification language for Chinese local-government work plans."""

__version__ = "0.1.0"
