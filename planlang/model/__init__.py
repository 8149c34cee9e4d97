"""The typed model: pydantic nodes, the builder (syntax → model, shape only) and resolution."""
