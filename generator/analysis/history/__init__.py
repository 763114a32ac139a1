"""What the history says: people, identities, releases, changes and their classification, reviews, health."""
