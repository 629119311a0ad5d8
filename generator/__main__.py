"""Command line: ``python -m generator build [--data DIR] [--docs DIR] [--strict] [--frozen]``.

Exit codes: 0 built; 1 data errors, each printed as ``path:line: message``; 2 usage.

``add PATH [--date YYYY-MM-DD]`` saves a digest and enriches its papers; ``enrich [--refresh]``
looks up what every paper still lacks (see ``enrich_commands.py`` for their exit codes).
``topics [--data DIR] [--topic ID]`` prints each topic with its papers and the words that placed
them, for reviewing the taxonomy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build import Options, build, disk_error
from .diagnostics import DataError

DESCRIPTION = """\
Regenerate the generated part of docs/ (papers/, topics/, digests/, bib/, feeds/, _generated/)
from the digests and curated YAML in data/. Hand-written pages are never touched. Only files whose
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
    add_enrich_commands(commands)
    add_topics_command(commands)
    return main


def add_topics_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``topics`` command, which prints the taxonomy for a curator's review."""
    review = commands.add_parser(
        "topics",
        help="print each topic with its papers and the words that placed them",
        description="Print each topic (sorted by name) with its papers and the words that "
        "placed them, or 'curator' for an override, then the Uncategorized papers. Reads data/ "
        "as the build does; writes nothing.",
        epilog="exit codes: 0 printed; 1 data errors (printed as path:line: message); "
        "2 usage error or unknown topic.",
    )
    review.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="folder with digests/ and the curated YAML (default: data)",
    )
    review.add_argument("--topic", metavar="ID", help="show only this topic")


ENRICH_EPILOG = """\
Network sources: READING_LIST_ARXIV_API, READING_LIST_DBLP_API, READING_LIST_REQUEST_DELAY and
READING_LIST_REQUEST_TIMEOUT override the arxiv_api, dblp_api, request_delay and
request_timeout keys of data/settings.yaml (defaults: arXiv's API, DBLP's search, 3 s, 10 s).
exit codes: 0 every lookup answered; 1 some lookups failed (the papers are named: run enrich
again) or the data has errors; 2 usage error; 130 interrupted (finished papers are kept).
"""


def add_enrich_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``add`` and ``enrich`` commands, which use the network (``build`` never does)."""
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="folder with digests/ and the curated YAML (default: data)",
    )
    add = commands.add_parser(
        "add",
        parents=[data],
        help="save a digest to data/digests/ and look up its new papers",
        description="Save a digest as data/digests/DATE.txt, once it parses, then look up "
        "authors, arXiv ids and venues for its papers into data/enriched.yaml.",
        epilog=ENRICH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("path", type=Path, metavar="PATH", help="the digest text file")
    add.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the digest's date (default: from a YYYY-MM-DD.txt name)",
    )
    enrich = commands.add_parser(
        "enrich",
        parents=[data],
        help="look up what digest papers still lack (arXiv, DBLP)",
        description="Look up authors, arXiv ids and venues for every digest paper that lacks "
        "them, into data/enriched.yaml, and print the papers that need a curator's review.",
        epilog=ENRICH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    enrich.add_argument(
        "--refresh", action="store_true", help="also look up papers found in earlier runs again"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    if args.command == "add":
        from .enrich_commands import add_command  # the network clients load only when needed

        return add_command(args.path, args.date, args.data)
    if args.command == "enrich":
        from .enrich_commands import enrich_command

        return enrich_command(args.data, refresh=args.refresh)
    if args.command == "topics":
        from .taxonomy_review import topics_command

        return topics_command(args.data, args.topic)
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
        for diagnostic in failure.diagnostics.report():
            print(diagnostic, file=sys.stderr)
        print(
            f"build failed: {len(failure.diagnostics.errors)} error(s); nothing was written",
            file=sys.stderr,
        )
        return 1
    except OSError as failure:
        print(f"{disk_error(failure, options.docs_dir)}", file=sys.stderr)
        return 1
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    for line in summary.lines():
        print(line)
    return 0


def _exit_now(code: int) -> None:
    """End the process without tearing the interpreter down.

    A build keeps what it rendered for the next one in the same process (``mkdocs serve``):
    at 10,000 papers, freeing those objects one by one at exit takes 0.15 to 0.3 s, a
    twentieth of a cold run. Every file the build wrote is closed, it registers no exit
    handlers and starts no thread, so only the output streams are left to flush."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `build | head`: the reader is gone, and so is the output
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    exit_code = main()
    if sys.argv[1:2] == ["build"]:
        _exit_now(exit_code)
    sys.exit(exit_code)
