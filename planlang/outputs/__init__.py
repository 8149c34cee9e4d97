"""Outputs: diagnostics for people and machines, compiled JSON, and atomic file writing."""
