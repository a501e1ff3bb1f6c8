"""One module per subcommand: argv (already parsed) → a frozen options object → an exit code."""
