"""One Markdown converter for all the generated pages of an MkDocs build.

MkDocs makes a new ``markdown.Markdown`` for every page, with every configured extension: at
1,000 papers that is 0.4 ms of a paper page's 1.9 ms of conversion, and it is the same
converter each time. Python-Markdown's own way to convert several documents is one instance,
``reset()`` between them: every extension that keeps state between documents clears it there.
The generated pages (paper pages, topic and digest listings) are Markdown the generator wrote,
so the hook gives them a ``Page`` whose ``render`` does exactly what MkDocs 1.6's does, with
one converter kept for the build. Hand-written pages and the pages of the nav keep MkDocs' own.
A test builds the seed both ways and compares every byte of the sites.
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

from generator import layout


class _Converter:
    """The converter of the current build: a build has one config object, so a new config
    (the next build of a server) gets a new converter."""

    config: Any = None
    md: markdown.Markdown | None = None

    @classmethod
    def for_config(cls, config: Any) -> markdown.Markdown:
        if cls.md is None or cls.config is not config:
            cls.config = config
            cls.md = markdown.Markdown(
                extensions=config["markdown_extensions"],
                extension_configs=config["mdx_configs"] or {},
            )
        else:
            cls.md.reset()
        return cls.md


class GeneratedPage(mkdocs_pages.Page):
    """A page the generator wrote, converted with the build's one Markdown converter."""

    def render(self, config: Any, files: Any) -> None:
        """MkDocs 1.6's ``Page.render``, but for where the converter comes from."""
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = _Converter.for_config(config)
        # Each registers under a fixed name, replacing the previous page's.
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(self.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative.links_to_anchors


def adopt(files: Any, config: Any, nav_sources: set[str]) -> None:
    """Give each generated page kept out of the nav a ``GeneratedPage``, as MkDocs would give
    it a ``Page`` (MkDocs uses the page a plugin sets on a file). The pages the nav names are
    left to MkDocs, which titles them from the nav."""
    for file in files.documentation_pages():
        uri = file.src_uri
        if (
            file.page is None
            and file.inclusion.is_not_in_nav()
            and uri.split("/")[0] in layout.OWNED
            and uri not in nav_sources
        ):
            GeneratedPage(None, file, config)
