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

The course has two editions: the English notebooks (notebooks/, the source) and their Spanish translations
(notebooks/es/, kept in step by `python -m utils.translation`). Each Notebook names its Spanish file; the Setup
cells of the two editions differ only in the line `LANGUAGE = "en"` / `LANGUAGE = "es"`, which selects the
language of every message from `utils` (DL_WORKSHOP_LANG, read by utils/i18n.py).
"""

import argparse
import dataclasses
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from utils import ROOT
from utils.i18n import LANGUAGES

#: The course's identity, {"repository": "owner/name", "ref": "main"}, relative to ROOT.
IDENTITY_FILE = "utils/course.json"
#: The Setup cell's text, with {repository}, {ref} and {language} to fill in, relative to ROOT.
SETUP_TEMPLATE = "utils/setup_cell.template.py"
#: Where each edition's notebooks live, relative to ROOT: English is the source, Spanish its translation.
FOLDERS = {"en": "notebooks", "es": "notebooks/es"}
#: The alt text of each edition's Colab badge.
COLAB_ALT = {"en": "Open In Colab", "es": "Abrir en Colab"}
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
#: The alt text of each edition's Binder badge.
BINDER_ALT = {"en": "Open in Binder", "es": "Abrir en Binder"}

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
    #: Its Spanish edition's stem, in notebooks/es/ ("04_redes_convolucionales").
    stem_es: str = ""
    min_exercises: int = 4
    #: Which of the doctor's timed models stands for its training ("mlp" or "cnn"), to scale its run time.
    workload: str = "cnn"
    #: The model it saves in models/ ("04_cnn"), or None.
    saves: str | None = None
    #: Its key result for .ci/time-notebooks: (a label, a pattern searched in its printed outputs, how to
    #: show the groups). The pattern follows the notebook's own print() of that number; the last match counts.
    key_result: tuple[str, str, str] | None = None
    #: The same pattern for the Spanish edition's print() of that number.
    key_pattern_es: str | None = None
    #: The edition this entry stands for: "en" (notebooks/, the source) or "es" (see edition()).
    language: str = "en"

    @property
    def number(self):
        return self.stem[:2]

    @property
    def name(self):
        return f"{self.stem}.ipynb"

    @property
    def path(self):
        return ROOT / FOLDERS[self.language] / self.name

    @property
    def colab_url(self):
        return self.colab_url_at()

    def colab_url_at(self, repository=None, ref=None):
        """Return its "Open in Colab" address in `repository` at `ref` (by default the course's)."""
        return colab_url(self.name if self.language == "en" else f"{self.language}/{self.name}", repository, ref)

    def edition(self, language):
        """Return this notebook's `language` edition as a Notebook of its own (stem, path, badge, key result)."""
        if language == self.language:
            return self
        label, _, shown = self.key_result or (None, None, None)
        return dataclasses.replace(
            self,
            stem=self.stem_es,
            language=language,
            key_result=(label, self.key_pattern_es, shown) if self.key_pattern_es else None,
        )

    def name_in(self, language):
        """Return the file name of its `language` edition: "04_cnn.ipynb", "04_redes_convolucionales.ipynb"."""
        return self.edition(language).name

    def path_in(self, language):
        """Return the path of the notebook's `language` edition."""
        return self.edition(language).path

    def colab_url_in(self, language):
        """Return the "Open in Colab" address of the notebook's `language` edition."""
        return self.edition(language).colab_url

    def binder_badge(self, language, repository=None, ref=None):
        """Return the Markdown of the Binder badge that opens the notebook's `language` edition in JupyterLab."""
        repository, ref = repository or REPOSITORY, ref or REF
        folder = FOLDERS[language]
        url = f"https://mybinder.org/v2/gh/{repository}/{ref}?urlpath=lab/tree/{folder}/{self.name_in(language)}"
        return f"[![{BINDER_ALT[language]}](https://mybinder.org/badge_logo.svg)]({url})"

    def colab_badge(self, language, repository=None, ref=None):
        """Return the Markdown of the Colab badge of the notebook's `language` edition (in `repository` at `ref`)."""
        url = self.edition(language).colab_url_at(repository, ref)
        return f"[![{COLAB_ALT[language]}]({COLAB_BADGE_IMAGE})]({url})"


NOTEBOOKS = (
    Notebook(
        "01_tensors_and_gradients",
        "Tensors and gradients",
        stem_es="01_tensores_y_gradientes",
        workload="mlp",
        key_result=("one gradient-descent step", r"loss: ([\d.]+) -> ([\d.]+)", "loss {0} → {1}"),
        key_pattern_es=r"pérdida: ([\d.]+) -> ([\d.]+)",
    ),
    Notebook(
        "02_linear_regression",
        "Linear regression",
        stem_es="02_regresion_lineal",
        workload="mlp",
        key_result=("Keras linear model", r"test MSE = ([\d.]+)", "test MSE {0}"),
        key_pattern_es=r"MSE de prueba = ([\d.]+)",
    ),
    Notebook(
        "03_mlp",
        "Multilayer perceptron",
        stem_es="03_perceptron_multicapa",
        min_exercises=5,
        workload="mlp",
        saves="03_mlp",
        key_result=("saved MLP", r"test accuracy of the reloaded model: ([\d.]+%)", "test accuracy {0}"),
        key_pattern_es=r"exactitud de prueba del modelo recargado: ([\d.]+%)",
    ),
    Notebook(
        "04_cnn",
        "Convolutional networks",
        stem_es="04_redes_convolucionales",
        min_exercises=5,
        saves="04_cnn",
        key_result=("CNN", r"test accuracy: ([\d.]+%)", "test accuracy {0}"),
        key_pattern_es=r"exactitud en prueba: ([\d.]+%)",
    ),
    Notebook(
        "05_autoencoder",
        "Autoencoders",
        stem_es="05_autoencoders",
        saves="05_denoising_autoencoder",
        key_result=(
            "denoiser",
            r"noisy input ([\d.]+) -> denoised ([\d.]+)",
            "reconstruction MSE {1} (noisy input {0})",
        ),
        key_pattern_es=r"entrada con ruido ([\d.]+) -> sin ruido ([\d.]+)",
    ),
    Notebook(
        "06_filters",
        "Filters",
        stem_es="06_filtros",
        key_result=("04's CNN", r"reads ([\d.]+%) of the", "test accuracy {0}"),
        key_pattern_es=r"acierta el ([\d.]+%) de los",
    ),
)


def colab_url(name, repository=None, ref=None):
    """Return the "Open in Colab" address of notebooks/<name> at the course's ref."""
    return f"https://colab.research.google.com/github/{repository or REPOSITORY}/blob/{ref or REF}/notebooks/{name}"


def _or_current(repository, ref):
    """Return (repository, ref), each of them the course's current one where None is given."""
    current_repository, current_ref = read_identity()
    return repository or current_repository, ref or current_ref


def setup_cell(repository=None, ref=None, language="en"):
    """Return the Setup cell's text (every notebook's first code cell), cloning `repository` at `ref`.

    By default the course's own identity, as utils/course.json says now, in English. The template holds the
    placeholders {repository}, {ref} and {language} (the line `LANGUAGE = "en"`, the only difference between
    the two editions' cells); the cell has no newline at its end, as Jupyter saves it.
    """
    if language not in LANGUAGES:
        raise ValueError(f"the Setup cell's language must be one of {', '.join(LANGUAGES)}, not {language!r}.")
    repository, ref = _or_current(repository, ref)
    template = (ROOT / SETUP_TEMPLATE).read_text(encoding="utf-8")
    filled = template.replace("{repository}", repository).replace("{ref}", ref)
    return filled.replace('LANGUAGE = "{language}"', f'LANGUAGE = "{language}"').removesuffix("\n")


def setup_messages(language="en"):
    """Return the Setup cell's own messages in `language`: (cannot download the course, cannot find utils/).

    The template holds both languages' texts (the cell runs before `utils` can be imported), with {url} and
    {problem} still to fill in the first. Guides and tests quote them from here.
    """
    import ast

    tree = ast.parse((ROOT / SETUP_TEMPLATE).read_text(encoding="utf-8").replace("{language}", language))
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            return tuple(ast.literal_eval(node.value.value)[language])
    raise ValueError(
        f"{SETUP_TEMPLATE} has no table of messages by language (NO_DOWNLOAD, NO_UTILS = {{...}}[LANGUAGE])."
    )


def language_of(path):
    """Return the language of the notebook at `path`: "es" in notebooks/es/, else "en"."""
    return "es" if path.parent.name == "es" else "en"


_BADGE = re.compile(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([\w./-]+?)/notebooks/")
_BINDER = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w./-]+?)\?")
_SETUP = re.compile(r'^REPO, REF = "https://github\.com/([\w.-]+/[\w.-]+)", "([\w./-]+)"', re.MULTILINE)


def _notebooks():
    """Return every notebook of both editions on disk: notebooks/*.ipynb, then notebooks/es/*.ipynb."""
    return [path for language in LANGUAGES for path in sorted((ROOT / FOLDERS[language]).glob("*.ipynb"))]


def _files():
    """Return the files that hold badges or Setup cells: the READMEs (README.es.md once it exists) and notebooks."""
    readmes = [ROOT / name for name in ("README.md", "README.es.md") if (ROOT / name).exists()]
    return [*readmes, *_notebooks()]


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
    """Return the notebooks (paths) whose first code cell is not setup_cell() in the notebook's language."""
    expected = {language: setup_cell(language=language) for language in LANGUAGES}
    return [
        path
        for path in _notebooks()
        if _source(_first_code_cell(json.loads(path.read_text(encoding="utf-8")), path)) != expected[language_of(path)]
    ]


def badge_problems():
    """Return what is wrong with the Colab badges: each edition's own alt text, pointing at the notebook itself."""
    problems, identity = [], read_identity()
    for notebook in NOTEBOOKS:
        for language in LANGUAGES:
            path = notebook.path_in(language)
            if not path.exists():
                continue  # A missing translation is python -m utils.translation status's to report.
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            first = _source(cells[0]) if cells else ""
            for badge in (notebook.colab_badge(language, *identity), notebook.binder_badge(language, *identity)):
                if badge not in first:
                    problems.append(f"{path.relative_to(ROOT)}: its first cell lacks the badge {badge}")
    return problems + _spanish_readme_problems(identity)


def _spanish_readme_problems(identity):
    """Return what is wrong with README.es.md's badges: Binder opens notebooks/es/, Colab each Spanish notebook."""
    readme = ROOT / "README.es.md"
    if not readme.exists():
        return []
    text, problems = readme.read_text(encoding="utf-8"), []
    if "mybinder.org/v2/gh/" in text and "urlpath=lab/tree/notebooks/es" not in text:
        problems.append("README.es.md: its Binder badge must open notebooks/es (urlpath=lab/tree/notebooks/es)")
    for notebook in NOTEBOOKS:
        url = notebook.edition("es").colab_url_at(*identity)
        if url not in text:
            problems.append(f"README.es.md: it lacks the Colab link of {notebook.name_in('es')}: {url}")
    return problems


def write_atomically(path, text):
    """Replace (or create) `path` with `text`, so that an interrupted write leaves the old file whole.

    The course's one atomic text writer (notebooks, course.json, the solutions, a stick's INSTALL.md): a temporary
    file beside `path`, renamed over it; removed again if anything fails.
    """
    path = Path(path)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as tmp:
        temporary = Path(tmp.name)
    try:
        temporary.write_text(text, encoding="utf-8")
        if path.exists():
            shutil.copymode(path, temporary)  # A temporary file is private (0600): keep the file's own permissions.
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _with_badges(text, repository, ref):
    text = _BADGE.sub(f"https://colab.research.google.com/github/{repository}/blob/{ref}/notebooks/", text)
    return _BINDER.sub(f"https://mybinder.org/v2/gh/{repository}/{ref}?", text)


def _rendered(repository, ref):
    """Return {path: new text} for README and each notebook whose badges or Setup cell must change.

    Nothing is written here, so that a notebook that cannot be written stops the command before any change.
    A notebook keeps its JSON layout (that of Jupyter's files): only the changed lines differ.
    """
    cell_text = {language: setup_cell(repository, ref, language) for language in LANGUAGES}
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
            if _source(cell) != cell_text[language_of(path)]:
                cell["source"] = cell_text[language_of(path)].splitlines(keepends=True)
                new = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if new != text:
            changed[path] = new
    return changed


def write_course():
    """Write the course's badges (README and notebooks) and the Setup cell of the template into every notebook."""
    for path, text in _rendered(*read_identity()).items():
        write_atomically(path, text)


def rewrite(repository, ref):
    """Make `repository` and `ref` the course's identity, and point every badge and Setup cell at them."""
    _validate(repository, ref)
    changed = _rendered(repository, ref)
    write_atomically(ROOT / IDENTITY_FILE, json.dumps({"repository": repository, "ref": ref}, indent=2) + "\n")
    for path, text in changed.items():
        write_atomically(path, text)


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
            f"{path.relative_to(ROOT)}: its first code cell is not the Setup cell of {SETUP_TEMPLATE} "
            f'(with LANGUAGE = "{language_of(path)}"): '
            "edit the template, not the notebook, then run python -m utils.course --write"
        )
        status = 1
    for problem in badge_problems():
        print(problem)
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
        help=f"write {SETUP_TEMPLATE} into every notebook (in Spanish in {FOLDERS['es']}/) and the badges of "
        f"{IDENTITY_FILE}",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that everything agrees (the Spanish notebooks' Setup cells and badges too)",
    )
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
