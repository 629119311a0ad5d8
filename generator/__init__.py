"""Reading-list site generator: digests and curated YAML in, Material pages and BibTeX out."""

from .build import Options, Summary, build
from .diagnostics import DataError

__all__ = ["DataError", "Options", "Summary", "build"]
