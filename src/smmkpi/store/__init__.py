"""The store: canonical tables, versioned migrations, the merge of imports, the import log."""
