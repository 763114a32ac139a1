"""The knowledge model: plain data that every stage shares."""
