"""Allow ``python -m deskstretch``."""

from deskstretch.cli.main import main

main()
