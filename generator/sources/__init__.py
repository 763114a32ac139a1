"""Where facts come from: git, the repository's files, and the forges."""
