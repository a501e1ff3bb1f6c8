"""GitHub's REST API, for the Action and the organisation scan."""
