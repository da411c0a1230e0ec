"""SQL text in: splitting, parsing (SQLGlot's athena dialect), errors with line:column."""
