"""The one door to git: the history walk, refs, blobs and the commit cache."""
