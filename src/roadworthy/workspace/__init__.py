"""The repository's files: work tree, commit tree, index, change sets, and safe writes."""
