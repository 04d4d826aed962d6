"""``python -m wwe_host``: the same command line as the ``wwe-host`` script."""

from wwe_host.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
