"""Importers: readers that turn files into canonical rows, and the one atomic write path."""
