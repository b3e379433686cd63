"""The instructor's classroom tools, as subcommands of one command.

    python -m utils.classroom solutions              # every exercise's task and solution, as Markdown
    python -m utils.classroom solutions 04           # one notebook: 01 to 06, or a stem such as 04_cnn
    python -m utils.classroom solutions --output solutions.md

`solutions` is for the instructor's preparation: each exercise's task, as the notebook states it under
"## Exercises" (its text and the cell the learner fills in), then the worked solution that `qN.solution()`
shows, from the notebook's checkers (``utils.checks.nbNN``). It reads the notebooks and never writes into
them, nor into notebooks/, where learners would find the answers; it does not import TensorFlow.

With Spanish selected (DL_WORKSHOP_LANG=es), the document is Spanish: each task comes from the Spanish notebook
(notebooks/es/, under "## Ejercicios") and each solution is the one `qN.solution()` shows in Spanish.
"""

import argparse
import importlib
import json
import re
import sys
from pathlib import Path

from utils import ROOT, course
from utils.course import NOTEBOOKS
from utils.i18n import N_, _, language

_CHECK = re.compile(r"^\s*q(\d+)\.check\(", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} +(.*)$", re.MULTILINE)
_FIRST_TASK = re.compile(r"^(###|\*\*Exercise|\*\*Ejercicio)", re.MULTILINE)
#: The heading of the exercises' section in each edition's notebooks (see the glossary).
EXERCISES_HEADING = {"en": "Exercises", "es": "Ejercicios"}
_TITLE = re.compile(r"^# \d+ · (.+)$", re.MULTILINE)
#: The stick subcommand's description: the first line of utils/stick.py's docstring.
STICK_DESCRIPTION = N_("A classroom stick: everything thirty laptops need to install and run the course offline.")


class ClassroomError(ValueError):
    """A request the command cannot serve; the message says what to do instead."""


def find_notebook(name):
    """Return the course's notebook named by `name`: its number ("04"), its stem ("04_cnn", or the Spanish
    "04_redes_convolucionales") or its file name."""
    wanted = Path(str(name)).name.removesuffix(".ipynb")
    for notebook in NOTEBOOKS:
        if wanted in (notebook.number, notebook.stem, notebook.stem_es, notebook.number.lstrip("0")):
            return notebook
    choices = ", ".join(notebook.number for notebook in NOTEBOOKS)
    raise ClassroomError(
        _("unknown notebook {name!r}: give its number ({choices}) or its name, such as {example}.").format(
            name=name, choices=choices, example=NOTEBOOKS[3].stem
        )
    )


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _exercise_cells(notebook):
    """Yield (kind, text) for the cells of the notebook's "## Exercises" section ("## Ejercicios" in a Spanish
    edition), cut at its edges."""
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    heading = re.compile(rf"^## {EXERCISES_HEADING[notebook.language]}\s*$", re.MULTILINE)
    inside = False
    for cell in cells:
        kind, text = cell["cell_type"], _source(cell)
        if kind == "markdown":
            if not inside:
                start = heading.search(text)
                if start is None:
                    continue
                inside, text = True, _after_introduction(text[start.end() :])
            end = re.search(r"^## ", text, re.MULTILINE)
            if end is not None:
                yield kind, text[: end.start()]
                return
        if inside:
            yield kind, text


def _after_introduction(text):
    """Drop the section's introduction (how check, hint and solution work), keeping exercise 1's own text."""
    first = _FIRST_TASK.search(text)
    return text[first.start() :] if first else ""


def exercise_tasks(notebook):
    """Return {exercise number: its task as Markdown}: the text and cells before each `qN.check` cell.

    `notebook` is an edition of a course notebook: `notebook.edition("es")` reads the Spanish one.
    """
    tasks, pending = {}, []
    for kind, text in _exercise_cells(notebook):
        text = text.strip()
        if kind == "markdown" and text:
            pending.append(_HEADING.sub(r"**\1**", text))
        elif kind == "code" and _CHECK.search(text):
            pending.append(f"```python\n{text}\n```")
            tasks[int(_CHECK.search(text).group(1))] = "\n\n".join(pending)
            pending = []
        elif kind == "code" and text and not text.lstrip().startswith("# q"):
            pending.append(f"```python\n{text}\n```")
    return tasks


def exercise_problems(notebook):
    """Return {exercise number: its checker} from utils.checks.nbNN (q1, q2, ...), in order."""
    module = importlib.import_module(f"utils.checks.nb{notebook.number}")
    problems = {}
    for name, value in vars(module).items():
        if re.fullmatch(r"q\d+", name) and hasattr(value, "solution_code"):
            problems[int(name[1:])] = value
    return dict(sorted(problems.items()))


def notebook_title(notebook):
    """Return the notebook's title: the course's (English), or what its edition's first heading says ("# 04 · ...")."""
    if notebook.language == "en":
        return notebook.title
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    found = _TITLE.search(_source(cells[0])) if cells else None
    return found.group(1).strip() if found else notebook.title


def solutions_markdown(notebook):
    """Return the Markdown of one notebook's exercises in the selected language: the task, then the solution."""
    edition = notebook.edition(language())
    if not edition.path.exists():  # A translation not written yet: the English tasks, with Spanish words around.
        edition = notebook
    tasks, problems = exercise_tasks(edition), exercise_problems(notebook)
    missing = sorted(set(tasks) ^ set(problems))
    if missing:
        raise ClassroomError(
            _("{notebook}: exercises {numbers} have a check cell or a checker, not both.").format(
                notebook=edition.name, numbers=missing
            )
        )
    where = edition.path.relative_to(ROOT).as_posix()
    parts = [f"## {notebook.number} · {notebook_title(edition)} ({where})"]
    for number, problem in problems.items():
        parts += [
            _("### Exercise {number}: {title}").format(number=number, title=_(problem.title)),
            _("**Task**") + f"\n\n{tasks[number]}",
            _("**Solution**") + f"\n\n```python\n{_(problem.solution_code).strip()}\n```",
        ]
    return "\n\n".join(parts) + "\n"


def all_solutions(notebooks):
    """Return the whole document for `notebooks`, with a line saying who it is for."""
    header = _(
        "# Exercise solutions\n\n"
        "For the instructor's preparation: every exercise's task and a worked solution (what `qN.solution()` "
        "shows). Written by `python -m utils.classroom solutions`; do not hand it to learners.\n"
    )
    return "\n".join([header, *(solutions_markdown(notebook) for notebook in notebooks)])


def write_atomically(path, text):
    """Write `text` to `path` whole or not at all (a temporary file beside it, then renamed)."""
    path = Path(path)
    notebooks = (ROOT / "notebooks").resolve()
    target = path.resolve()
    if target.suffix == ".ipynb" or target.parent == notebooks or notebooks in target.parents:
        raise ClassroomError(
            _("{path}: the solutions never go into notebooks/, where learners would see them.").format(path=path)
        )
    course.write_atomically(target, text)


def _solutions(args):
    notebooks = [find_notebook(args.notebook)] if args.notebook else list(NOTEBOOKS)
    text = all_solutions(notebooks)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.output, text)
    print(_("Wrote the solutions of {count} notebook(s) to {path}.").format(count=len(notebooks), path=args.output))
    return 0


def _board(args):
    """Run the live class board (utils.board): serve it, or export or clear its database."""
    from utils import board

    try:
        return board.run(args)
    except board.BoardError as exc:
        raise ClassroomError(str(exc)) from None


def build_parser():
    """Return the command's parser: one subcommand per tool."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.classroom", description=_("The instructor's classroom tools.")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solutions = commands.add_parser(
        "solutions",
        help=_("every exercise's task and solution, as Markdown, for the instructor's preparation"),
        description=_("Print every exercise's task and solution as Markdown (for the instructor, not for learners)."),
    )
    solutions.add_argument("notebook", nargs="?", help=_("01 to 06, or a stem such as 04_cnn (default: all)"))
    solutions.add_argument("--output", metavar="FILE", help=_("write the Markdown to FILE instead of the screen"))
    solutions.set_defaults(run=_solutions)
    from utils.board import add_arguments as add_board_arguments

    board = commands.add_parser(
        "board",
        help=_("the live class board: where the room is stuck, from the checks of learners who join"),
        description=_("Serve the live class board on this laptop, or export (--export) or end (--clear) a class."),
    )
    add_board_arguments(board)
    board.set_defaults(run=_board)
    _add_stick(commands)
    return parser


def _add_stick(commands):
    """Register `stick DEST --for OS/PYTHON ... [--cpu-only]`."""
    from utils import stick

    parser = commands.add_parser(
        "stick",
        help=_("fill a USB stick or shared folder with everything the room needs offline (run once, online)"),
        description=_(STICK_DESCRIPTION),
    )
    parser.add_argument("dest", metavar="DEST", help=_("the stick's folder (created if needed)"))
    parser.add_argument(
        "--for",
        dest="targets",
        action="append",
        metavar="OS/PYTHON",
        help=_(
            "a kind of laptop: linux, windows or macos, and Python {pythons}, e.g. windows/3.12; repeat for each kind "
            "(default: this machine, {machine})"
        ).format(pythons=", ".join(stick.PYTHONS), machine=stick.this_machine()),
    )
    parser.add_argument(
        "--cpu-only", action="store_true", help=_("tensorflow-cpu (259 MB, not 620) in the Linux folders")
    )
    parser.add_argument("--index-url", default=stick.PYPI, help=_("the package index to download from (default: PyPI)"))
    parser.add_argument("--no-full-mnist", action="store_true", help=_("ship the 5,000-digit sample only"))
    parser.set_defaults(run=_stick)


def _stick(args):
    from utils import stick

    try:
        targets = list(dict.fromkeys(stick.parse_target(t) for t in args.targets or [stick.this_machine()]))
        online = False if args.no_full_mnist else None
        summary = stick.make_stick(args.dest, targets, args.cpu_only, index_url=args.index_url, online=online)
    except stick.StickError as exc:
        raise ClassroomError(str(exc)) from exc
    wrote = _("Wrote {dest}: {megabytes:,.0f} MB in all (the course at {commit}, {data}).")
    print(
        "\n"
        + wrote.format(dest=args.dest, megabytes=summary["bytes"] / 1e6, commit=summary["commit"], data=summary["data"])
    )
    print(_("Checked, with the network unused:"))
    for line in summary["checked"]:
        print(f"  - {line}")
    print(_("What to type on each laptop: {path}").format(path=Path(args.dest) / "INSTALL.md"))
    return 0


def main(argv=None):
    """Run the command line `argv` (default: sys.argv[1:]); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (ClassroomError, OSError) as exc:
        parser.exit(2, f"{parser.prog} {args.command}: error: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
