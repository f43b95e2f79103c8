"""The ``hotline`` command line (Typer). One module per command group."""
