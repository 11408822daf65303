"""Actions: all I/O of a journey, one action per module (see `registry`)."""
