"""The ``smmkpi`` command line (Typer + Rich) over the services of the other layers."""
