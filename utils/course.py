"""The course in one place: its notebooks, in order, the repository's address and the ref.

Tests, tools and the README table read this list, so a new notebook joins every test by being
listed here (and existing in notebooks/). The facts that tools need about a notebook live in its entry,
nowhere else: its workload (the doctor's speed estimate), the model it saves (load_model's advice) and
its key result (what .ci/time-notebooks reads from its outputs).

The address and the ref appear in the Colab badges (README and notebooks), the Binder badge and every Setup
cell, which on Colab clones the course at that ref: a notebook opened from a badge then runs
with `utils` from the same version. One command rewrites all of them, for a fork, a new home or
a frozen workshop release::

    python -m utils.course --repository owner/name --ref main
    python -m utils.course --check     # exit 1 if any badge or Setup cell disagrees
"""

import argparse
import json
import re
import sys
from dataclasses import dataclass

from utils import ROOT

#: Where the course lives on GitHub: the Colab badges and the Setup cell's clone use it.
REPOSITORY = "dl-workshop/deep-learning-workshop"
#: The branch or tag the badges open and the Setup cell clones (a tag freezes a workshop's course).
REF = "main"


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


def existing_notebooks():
    """Return the listed notebooks whose file exists (all of them once the course is complete)."""
    return [notebook for notebook in NOTEBOOKS if notebook.path.exists()]


def colab_url(name, repository=None, ref=None):
    """Return the "Open in Colab" address of notebooks/<name> at the course's ref."""
    return f"https://colab.research.google.com/github/{repository or REPOSITORY}/blob/{ref or REF}/notebooks/{name}"


_BADGE = re.compile(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([\w./-]+?)/notebooks/")
_BINDER = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w./-]+?)\?")
_SETUP = re.compile(r'^REPO, REF = "https://github\.com/([\w.-]+/[\w.-]+)", "([\w./-]+)"', re.MULTILINE)


def _files():
    return [ROOT / "README.md", *sorted((ROOT / "notebooks").glob("*.ipynb"))]


def addresses():
    """Return {(repository, ref): [where it appears]} for every badge and Setup cell."""
    found = {}
    for path in _files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        for pattern, kind in ((_BADGE, "Colab badge"), (_BINDER, "Binder badge"), (_SETUP, "Setup cell")):
            for match in pattern.finditer(text):
                found.setdefault(match.groups(), []).append(f"{path.relative_to(ROOT)} ({kind})")
    return found


def rewrite(repository, ref):
    """Point every badge, every Setup cell and this module at `repository` and `ref`."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
        raise ValueError(f'--repository must look like "owner/name", not {repository!r}.')
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)*", ref):
        raise ValueError(f"--ref must be a branch or tag name such as main or v2026.12, not {ref!r}.")
    badge = f"https://colab.research.google.com/github/{repository}/blob/{ref}/notebooks/"
    setup = f'REPO, REF = "https://github.com/{repository}", "{ref}"'
    escaped = json.dumps(setup)[1:-1]  # As the line is written inside a notebook's JSON.
    for path in _files():
        text = path.read_text(encoding="utf-8")
        new = _BADGE.sub(badge, text)
        new = _BINDER.sub(f"https://mybinder.org/v2/gh/{repository}/{ref}?", new)
        if path.suffix == ".ipynb":  # In the notebook's JSON, the Setup line sits inside a string.
            new = re.sub(
                r'REPO, REF = \\"https://github\.com/[\w.-]+/[\w.-]+\\", \\"[\w./-]+\\"', lambda m: escaped, new
            )
        if new != text:
            path.write_text(new, encoding="utf-8")
    module = ROOT / "utils" / "course.py"
    text = module.read_text(encoding="utf-8")
    text = re.sub(r'^REPOSITORY = ".*"$', f'REPOSITORY = "{repository}"', text, count=1, flags=re.MULTILINE)
    text = re.sub(r'^REF = ".*"$', f'REF = "{ref}"', text, count=1, flags=re.MULTILINE)
    module.write_text(text, encoding="utf-8")


def main(argv=None):
    """Rewrite or check the course's address and ref in every badge and Setup cell."""
    parser = argparse.ArgumentParser(prog="python -m utils.course", description=main.__doc__)
    parser.add_argument("--repository", help='the GitHub repository, "owner/name"')
    parser.add_argument("--ref", help="the branch or tag that badges open and Setup cells clone")
    parser.add_argument("--check", action="store_true", help="only check that everything agrees")
    args = parser.parse_args(argv)
    if not args.check:
        if not (args.repository or args.ref):
            parser.print_help()
            return 2
        rewrite(args.repository or REPOSITORY, args.ref or REF)
    found = addresses()
    for (repository, ref), places in sorted(found.items()):
        print(f"{repository} @ {ref}: {len(places)} places")
    if len(found) != 1:
        print("The badges and Setup cells disagree: run python -m utils.course --repository ... --ref ...")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
