"""The language server (`planlang lsp`). Only this package imports lsprotocol and pygls."""
