"""One module per schema revision, oldest first; never edit a released revision, add a new one."""
