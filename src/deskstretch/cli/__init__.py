"""The command line: Typer commands, Rich rendering and the terminal player."""
