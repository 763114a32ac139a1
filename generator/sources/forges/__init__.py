"""Forges (GitHub, the Hugging Face Hub): addresses, the HTTP client, the sync and its offline cache."""
