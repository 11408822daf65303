"""Running Boomerang: settings, the `boomerang` command, the worker, the process tree."""
