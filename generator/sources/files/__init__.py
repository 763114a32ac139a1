"""The repository's files at a revision, and files written whole or not at all."""
