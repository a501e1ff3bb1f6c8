"""Templates `roadworthy init` writes: a policy file and the artifacts a component must carry."""
