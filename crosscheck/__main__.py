"""``python -m crosscheck ...`` works like ``crosscheck ...``."""

from crosscheck.cli import main

if __name__ == "__main__":
    main(prog_name="crosscheck")
