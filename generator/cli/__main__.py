"""``python -m generator.cli``: the same command as ``almanac``, for a checkout without the entry point."""

from generator.cli.commands import main

if __name__ == "__main__":
    raise SystemExit(main())
