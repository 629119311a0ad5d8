"""Reading-list site generator: digests and curated YAML in, Material pages and BibTeX out.

Entry points: ``generator.build.build`` (the pipeline), ``python -m generator`` (the command
line) and ``generator/mkdocs_hook.py`` (MkDocs).
"""
