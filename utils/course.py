"""The course in one place: its notebooks, in order, the repository's address and the ref.

Tests, tools and the README table read this list, so a new notebook joins every test by being
listed here (and existing in notebooks/). The facts that tools need about a notebook live in its entry,
nowhere else: its workload (the doctor's speed estimate), the model it saves (load_model's advice) and
its key result (what .ci/time-notebooks reads from its outputs).

The course's identity, the GitHub repository and the ref (branch or tag), is data: utils/course.json.
It appears in the Colab badges (README and notebooks), the Binder badge and every Setup cell, which on
Colab clones the course at that ref: a notebook opened from a badge then runs with `utils` from the same
version. The Setup cell's text is kept once, in utils/setup_cell.template.py, and written into every
notebook as its first code cell: it must stay self-contained, since it runs before `utils` can be
imported. One command writes all of them, for a fork, a new home or a frozen workshop release::

    python -m utils.course --repository owner/name --ref main
    python -m utils.course --write     # after editing the template: write it into every notebook
    python -m utils.course --check     # exit 1 if any badge or Setup cell disagrees
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass

from utils import ROOT

#: The course's identity, {"repository": "owner/name", "ref": "main"}, relative to ROOT.
IDENTITY_FILE = "utils/course.json"
#: The Setup cell's text, with {repository} and {ref} to fill in, relative to ROOT.
SETUP_TEMPLATE = "utils/setup_cell.template.py"

_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")
_REF = re.compile(r"[\w.-]+(/[\w.-]+)*")


def _validate(repository, ref):
    """Raise ValueError, saying what is expected, unless `repository` and `ref` are well formed."""
    if not isinstance(repository, str) or not _REPOSITORY.fullmatch(repository):
        raise ValueError(f'--repository must look like "owner/name", not {repository!r}.')
    if not isinstance(ref, str) or not _REF.fullmatch(ref):
        raise ValueError(f"--ref must be a branch or tag name such as main or v2026.12, not {ref!r}.")


def read_identity():
    """Return the course's (repository, ref), as utils/course.json says."""
    path = ROOT / IDENTITY_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"repository", "ref"}:
        raise ValueError(f'{IDENTITY_FILE} must hold {{"repository": "owner/name", "ref": "main"}}, not {data!r}.')
    _validate(data["repository"], data["ref"])
    return data["repository"], data["ref"]


#: Where the course lives on GitHub, and the branch or tag that the badges open and the Setup cell clones
#: (a tag freezes a workshop's course). Read from utils/course.json; `python -m utils.course` changes them.
REPOSITORY, REF = read_identity()


@dataclass(frozen=True)
class Notebook:
    """One notebook of the course."""

    stem: str  # "04_cnn"
    title: str  # "Convolutional networks"
    min_exercises: int = 4
    #: Which of the doctor's timed models stands for its training ("mlp" or "cnn"), to scale its run time.
    workload: str = "cnn"
    #: The model it saves in models/ ("04_cnn"), or None.
    saves: str | None = None
    #: Its key result for .ci/time-notebooks: (a label, a pattern searched in its printed outputs, how to
    #: show the groups). The pattern follows the notebook's own print() of that number; the last match counts.
    key_result: tuple[str, str, str] | None = None

    @property
    def number(self):
        return self.stem[:2]

    @property
    def name(self):
        return f"{self.stem}.ipynb"

    @property
    def path(self):
        return ROOT / "notebooks" / self.name

    @property
    def colab_url(self):
        return colab_url(self.name)


NOTEBOOKS = (
    Notebook(
        "01_tensors_and_gradients",
        "Tensors and gradients",
        workload="mlp",
        key_result=("one gradient-descent step", r"loss: ([\d.]+) -> ([\d.]+)", "loss {0} → {1}"),
    ),
    Notebook(
        "02_linear_regression",
        "Linear regression",
        workload="mlp",
        key_result=("Keras linear model", r"test MSE = ([\d.]+)", "test MSE {0}"),
    ),
    Notebook(
        "03_mlp",
        "Multilayer perceptron",
        min_exercises=5,
        workload="mlp",
        saves="03_mlp",
        key_result=("saved MLP", r"test accuracy of the reloaded model: ([\d.]+%)", "test accuracy {0}"),
    ),
    Notebook(
        "04_cnn",
        "Convolutional networks",
        min_exercises=5,
        saves="04_cnn",
        key_result=("CNN", r"test accuracy: ([\d.]+%)", "test accuracy {0}"),
    ),
    Notebook(
        "05_autoencoder",
        "Autoencoders",
        saves="05_denoising_autoencoder",
        key_result=(
            "denoiser",
            r"noisy input ([\d.]+) -> denoised ([\d.]+)",
            "reconstruction MSE {1} (noisy input {0})",
        ),
    ),
    Notebook("06_filters", "Filters", key_result=("04's CNN", r"reads ([\d.]+%) of the", "test accuracy {0}")),
)


def colab_url(name, repository=None, ref=None):
    """Return the "Open in Colab" address of notebooks/<name> at the course's ref."""
    return f"https://colab.research.google.com/github/{repository or REPOSITORY}/blob/{ref or REF}/notebooks/{name}"


def _or_current(repository, ref):
    """Return (repository, ref), each of them the course's current one where None is given."""
    current_repository, current_ref = read_identity()
    return repository or current_repository, ref or current_ref


def setup_cell(repository=None, ref=None):
    """Return the Setup cell's text (every notebook's first code cell), cloning `repository` at `ref`.

    By default the course's own identity, as utils/course.json says now. The template holds the
    placeholders {repository} and {ref}; the cell has no newline at its end, as Jupyter saves it.
    """
    repository, ref = _or_current(repository, ref)
    template = (ROOT / SETUP_TEMPLATE).read_text(encoding="utf-8")
    return template.replace("{repository}", repository).replace("{ref}", ref).removesuffix("\n")


_BADGE = re.compile(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([\w./-]+?)/notebooks/")
_BINDER = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w./-]+?)\?")
_SETUP = re.compile(r'^REPO, REF = "https://github\.com/([\w.-]+/[\w.-]+)", "([\w./-]+)"', re.MULTILINE)


def _notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def _files():
    return [ROOT / "README.md", *_notebooks()]


def _first_code_cell(notebook, path):
    """Return the notebook's (parsed JSON) first code cell: its Setup cell."""
    cell = next((cell for cell in notebook["cells"] if cell["cell_type"] == "code"), None)
    if cell is None:
        raise ValueError(f"{path.relative_to(ROOT)} has no code cell: its first code cell must be the Setup cell.")
    return cell


def _source(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def addresses():
    """Return {(repository, ref): [where it appears]} for every badge and Setup cell."""
    found = {}
    for path in _files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(_source(cell) for cell in json.loads(text)["cells"])
        for pattern, kind in ((_BADGE, "Colab badge"), (_BINDER, "Binder badge"), (_SETUP, "Setup cell")):
            for match in pattern.finditer(text):
                found.setdefault(match.groups(), []).append(f"{path.relative_to(ROOT)} ({kind})")
    return found


def stale_setup_cells():
    """Return the notebooks (paths) whose first code cell is not the Setup cell that setup_cell() renders."""
    expected = setup_cell()
    return [
        path
        for path in _notebooks()
        if _source(_first_code_cell(json.loads(path.read_text(encoding="utf-8")), path)) != expected
    ]


def _write_atomically(path, text):
    """Replace `path` with `text`, so that an interrupted write leaves the old file whole."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(text)
    shutil.copymode(path, tmp.name)  # A temporary file is private (0600): keep the file's own permissions.
    os.replace(tmp.name, path)


def _with_badges(text, repository, ref):
    text = _BADGE.sub(f"https://colab.research.google.com/github/{repository}/blob/{ref}/notebooks/", text)
    return _BINDER.sub(f"https://mybinder.org/v2/gh/{repository}/{ref}?", text)


def _rendered(repository, ref):
    """Return {path: new text} for README and each notebook whose badges or Setup cell must change.

    Nothing is written here, so that a notebook that cannot be written stops the command before any change.
    A notebook keeps its JSON layout (that of Jupyter's files): only the changed lines differ.
    """
    cell_text = setup_cell(repository, ref)
    changed = {}
    for path in _files():
        text = path.read_text(encoding="utf-8")
        new = _with_badges(text, repository, ref)
        if path.suffix == ".ipynb":
            notebook = json.loads(new)
            cell = _first_code_cell(notebook, path)
            if not _SETUP.search(_source(cell)):  # Never overwrite a learner's code: the Setup cell comes first.
                raise ValueError(
                    f"{path.relative_to(ROOT)}: its first code cell is not a Setup cell (it has no REPO, REF line): "
                    "move the Setup cell back to the top, then run this command again."
                )
            if _source(cell) != cell_text:
                cell["source"] = cell_text.splitlines(keepends=True)
                new = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if new != text:
            changed[path] = new
    return changed


def write_course():
    """Write the course's badges (README and notebooks) and the Setup cell of the template into every notebook."""
    for path, text in _rendered(*read_identity()).items():
        _write_atomically(path, text)


def rewrite(repository, ref):
    """Make `repository` and `ref` the course's identity, and point every badge and Setup cell at them."""
    _validate(repository, ref)
    changed = _rendered(repository, ref)
    _write_atomically(ROOT / IDENTITY_FILE, json.dumps({"repository": repository, "ref": ref}, indent=2) + "\n")
    for path, text in changed.items():
        _write_atomically(path, text)


def check():
    """Print where the badges and Setup cells point; return 1 (saying what to run) if any disagrees, else 0."""
    repository, ref = read_identity()
    found = addresses()
    for (where, at), places in sorted(found.items()):
        print(f"{where} @ {at}: {len(places)} places")
    status = 0
    if set(found) != {(repository, ref)}:
        print(
            f"The badges and Setup cells disagree with {IDENTITY_FILE} ({repository} @ {ref}): "
            "run python -m utils.course --write (or --repository ... --ref ... to move the course)"
        )
        status = 1
    for path in stale_setup_cells():
        print(
            f"{path.relative_to(ROOT)}: its first code cell is not the Setup cell of {SETUP_TEMPLATE}: "
            "edit the template, not the notebook, then run python -m utils.course --write"
        )
        status = 1
    return status


def main(argv=None):
    """Set, write or check the course's address and ref in every badge and Setup cell."""
    parser = argparse.ArgumentParser(prog="python -m utils.course", description=main.__doc__)
    parser.add_argument("--repository", help=f'the GitHub repository, "owner/name" (kept in {IDENTITY_FILE})')
    parser.add_argument("--ref", help="the branch or tag that badges open and Setup cells clone")
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"write {SETUP_TEMPLATE} into every notebook and the badges of {IDENTITY_FILE}",
    )
    parser.add_argument("--check", action="store_true", help="only check that everything agrees")
    args = parser.parse_args(argv)
    if args.repository or args.ref:
        repository, ref = read_identity()
        rewrite(args.repository or repository, args.ref or ref)
    elif args.write:
        write_course()
    elif not args.check:
        parser.print_help()
        return 2
    return check()


if __name__ == "__main__":
    sys.exit(main())
