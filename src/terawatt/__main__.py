"""``python -m terawatt`` runs the command-line interface."""

from terawatt.cli import main

if __name__ == "__main__":
    main()
