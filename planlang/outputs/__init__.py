"""Outputs: diagnostics for people and machines (text, JSON, SARIF), the rules' documentation, compiled JSON and
its schema, the renders (任务分工表 xlsx, docx, Markdown, HTML) over the views they share, and atomic file writing."""
