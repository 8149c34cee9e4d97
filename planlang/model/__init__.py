"""The typed model: pydantic nodes, the builder (syntax → model, shape only), resolution, the symbols both record
(definitions, references, each file's fragment) and the domain facts computed once from the model (`indicators`)."""
