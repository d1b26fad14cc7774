"""output/tutorial.html: the project's own tutorial, from tutorial/tutorial.md, its markers
filled from this build as `make embed` fills a maintainer's page (in memory: the source is
never rewritten), the Markdown rendered by markdown-it-py, the page by a Jinja2 template
with autoescape."""
from __future__ import annotations

import os
import re

from markdown_it import MarkdownIt
from markupsafe import Markup

from render.publish import embed
from render.publish.html import environment
from render.publish.page import LOOK
from render.publish.values import Value

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "tutorial", "tutorial.md")
PAGE = "tutorial.html"


def tutorial(document: dict, values: dict[str, Value], out_dir: str, cannot_draw: dict[str, str] | None = None,
             source: str = SOURCE) -> str:
    """The tutorial page for this build's manifest and values, to live in ``out_dir``;
    ``cannot_draw`` says why a scene cannot be drawn for this data, by name."""
    page = embed.read_page(source)
    filler = embed.Filler(values, document, os.path.join(out_dir, PAGE), out_dir, None, "\n", lenient=True,
                          cannot_draw=cannot_draw)
    markdown = embed.fill(page, source, filler, markdown=True).page.decode("utf-8").lstrip("\ufeff")
    body = MarkdownIt("commonmark", {"html": True}).render(markdown)
    heading = re.search(r"^# (.+)$", markdown, re.M)
    title = re.sub(r"<!--.*?-->", "", heading.group(1)).strip() if heading else "Gradient descent"
    return environment().get_template(PAGE).render(title=title, body=Markup(body), **LOOK,
                                                   credit=document["credit"], data=document["data"])
