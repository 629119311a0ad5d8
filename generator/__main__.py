"""Command line: ``python -m generator build [--data DIR] [--docs DIR] [--strict] [--frozen]``.

Exit codes: 0 built; 1 data errors, each printed as ``path:line: message``; 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import Options, build
from .diagnostics import DataError

DESCRIPTION = """\
Regenerate the generated part of docs/ (papers/, topics/, digests/, bib/, _generated/) from
the digests and curated YAML in data/. Hand-written pages are never touched. Only files whose
content changed are written, and generated files whose paper is gone are removed. New papers
get a slug and cite key appended to data/registry.yaml; commit that file.
"""
EPILOG = """\
exit codes: 0 built; 1 data errors (all printed as path:line: message, nothing written);
2 usage error.
"""


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main = argparse.ArgumentParser(
        prog="python -m generator",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "build",
        help="generate docs/ from data/",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="folder with digests/ and the curated YAML (default: data)",
    )
    run.add_argument(
        "--docs",
        type=Path,
        default=Path("docs"),
        metavar="DIR",
        help="MkDocs docs folder to generate into (default: docs)",
    )
    run.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="mkdocs.yml to read site_url from (default: mkdocs.yml)",
    )
    run.add_argument("--strict", action="store_true", help="fail on warnings too")
    run.add_argument(
        "--frozen", action="store_true", help="fail if data/registry.yaml would change (use in CI)"
    )
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    options = Options(
        data_dir=args.data,
        docs_dir=args.docs,
        config_file=args.config,
        strict=args.strict,
        frozen=args.frozen,
    )
    try:
        summary = build(options)
    except DataError as failure:
        for diagnostic in failure.diagnostics.sorted():
            print(diagnostic, file=sys.stderr)
        print(
            f"build failed: {len(failure.diagnostics.errors)} error(s); nothing was written",
            file=sys.stderr,
        )
        return 1
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    for line in summary.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
