"""Read the course's notebooks as the tests see them: their cells, sources, markdown and code.

Every test and tool that reads a notebook's text goes through here, so they agree on what a cell's
source is and where a section ends. A notebook is named by its number ("04"), its stem ("04_cnn"), its
file name, its path or its `utils.course.Notebook`. Reading is cached: treat what `cells` returns as read-only, and
take `read(...)` for a copy to execute.
"""

import ast
import re
from functools import cache
from pathlib import Path

import nbformat

from utils import ROOT
from utils.course import NOTEBOOKS

#: How an overview states its core path: "**Core path: about 25 minutes**".
CORE_PATH = re.compile(r"\*\*Core path: about (\d+) minutes\*\*")


def path(notebook):
    """Return the path of a notebook given by number, stem, file name, path or `utils.course.Notebook`."""
    if hasattr(notebook, "path"):
        return notebook.path
    if isinstance(notebook, str) and re.fullmatch(r"\d\d", notebook):
        (listed,) = [n for n in NOTEBOOKS if n.number == notebook]
        return listed.path
    notebook = Path(notebook)
    if notebook.suffix == ".ipynb" and notebook.parent != Path("."):
        return notebook
    return ROOT / "notebooks" / f"{notebook.stem}.ipynb"


def read(notebook):
    """Return a fresh copy of the notebook (an nbformat v4 node), one that can be executed or changed."""
    return nbformat.read(path(notebook), as_version=4)


@cache
def _cached(notebook_path):
    return read(notebook_path)


def metadata(notebook):
    """Return the notebook's metadata (read-only)."""
    return _cached(path(notebook)).metadata


def cells(notebook, kind=None):
    """Return the notebook's cells (read-only), or only those of `kind` ("code" or "markdown")."""
    return [c for c in _cached(path(notebook)).cells if kind is None or c.cell_type == kind]


def source(cell):
    """Return a cell's source as one string."""
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def sources(notebook, kind=None):
    """Return the sources of the notebook's cells, or of those of `kind`, in order."""
    return [source(c) for c in cells(notebook, kind)]


def markdown(notebook):
    """Return all the notebook's markdown, one cell after another."""
    return "\n".join(sources(notebook, "markdown"))


def code(notebook):
    """Return all the notebook's code, one cell after another."""
    return "\n".join(sources(notebook, "code"))


def section(notebook, heading):
    """Return the markdown from `heading` (a `## ` line) to the next `## ` heading."""
    text = markdown(notebook)
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else None]


def code_under(notebook, *headings):
    """Return the sources of the code cells under the given `## ` headings, in the notebook's order."""
    wanted, current, found = set(headings), None, []
    for cell in cells(notebook):
        if cell.cell_type == "markdown":
            titles = [line for line in source(cell).splitlines() if line.startswith("## ")]
            current = titles[-1] if titles else current
        elif current in wanted:
            found.append(source(cell))
    return found


def core_minutes(notebook):
    """Return the minutes of the notebook's core path, as its overview states them."""
    match = CORE_PATH.search(section(notebook, "## Overview"))
    assert match, f"{path(notebook).name}: the overview states its core path as '**Core path: about N minutes**'"
    return int(match.group(1))


def names_in(source):
    """Return (names the code defines, names it reads) at any depth of a cell's source."""
    defined, read = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store | ast.Del) else read).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return defined, read
