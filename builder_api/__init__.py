"""The HTTP face: thin routes that validate, check the role and call one use case."""
