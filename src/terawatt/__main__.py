"""``python -m terawatt`` runs the command-line interface."""

import sys

try:
    from terawatt.cli import main
except KeyboardInterrupt:  # Ctrl-C in the first milliseconds, before main() handles it
    sys.stderr.write("interrupted: nothing was written\n")
    raise SystemExit(130) from None

if __name__ == "__main__":
    main()
