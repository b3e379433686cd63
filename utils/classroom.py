"""The instructor's classroom tools, as subcommands of one command.

    python -m utils.classroom solutions              # every exercise's task and solution, as Markdown
    python -m utils.classroom solutions 04           # one notebook: 01 to 06, or a stem such as 04_cnn
    python -m utils.classroom solutions --output solutions.md

`solutions` is for the instructor's preparation: each exercise's task, as the notebook states it under
"## Exercises" (its text and the cell the learner fills in), then the worked solution that `qN.solution()`
shows, from the notebook's checkers (``utils.checks.nbNN``). It reads the notebooks and never writes into
them, nor into notebooks/, where learners would find the answers; it does not import TensorFlow.
"""

import argparse
import importlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from utils import ROOT
from utils.course import NOTEBOOKS

_CHECK = re.compile(r"^\s*q(\d+)\.check\(", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} +(.*)$", re.MULTILINE)
_FIRST_TASK = re.compile(r"^(###|\*\*Exercise)", re.MULTILINE)


class ClassroomError(ValueError):
    """A request the command cannot serve; the message says what to do instead."""


def find_notebook(name):
    """Return the course's notebook named by `name`: its number ("04"), its stem ("04_cnn") or its file name."""
    wanted = Path(str(name)).name.removesuffix(".ipynb")
    for notebook in NOTEBOOKS:
        if wanted in (notebook.number, notebook.stem, notebook.number.lstrip("0")):
            return notebook
    choices = ", ".join(notebook.number for notebook in NOTEBOOKS)
    raise ClassroomError(
        f"unknown notebook {name!r}: give its number ({choices}) or its name, such as {NOTEBOOKS[3].stem}."
    )


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _exercise_cells(notebook):
    """Yield (kind, text) for the cells of the notebook's "## Exercises" section, cut at its edges."""
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    inside = False
    for cell in cells:
        kind, text = cell["cell_type"], _source(cell)
        if kind == "markdown":
            if not inside:
                start = re.search(r"^## Exercises\s*$", text, re.MULTILINE)
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
    """Return {exercise number: its task as Markdown}: the text and cells before each `qN.check` cell."""
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


def solutions_markdown(notebook):
    """Return the Markdown of one notebook's exercises: the task, then the solution, for each."""
    tasks, problems = exercise_tasks(notebook), exercise_problems(notebook)
    missing = sorted(set(tasks) ^ set(problems))
    if missing:
        raise ClassroomError(f"{notebook.name}: exercises {missing} have a check cell or a checker, not both.")
    parts = [f"## {notebook.number} · {notebook.title} (notebooks/{notebook.name})"]
    for number, problem in problems.items():
        parts += [
            f"### Exercise {number}: {problem.title}",
            f"**Task**\n\n{tasks[number]}",
            f"**Solution**\n\n```python\n{problem.solution_code.strip()}\n```",
        ]
    return "\n\n".join(parts) + "\n"


def all_solutions(notebooks):
    """Return the whole document for `notebooks`, with a line saying who it is for."""
    header = (
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
        raise ClassroomError(f"{path}: the solutions never go into notebooks/, where learners would see them.")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _solutions(args):
    notebooks = [find_notebook(args.notebook)] if args.notebook else list(NOTEBOOKS)
    text = all_solutions(notebooks)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.output, text)
    print(f"Wrote the solutions of {len(notebooks)} notebook(s) to {args.output}.")
    return 0


def build_parser():
    """Return the command's parser: one subcommand per tool."""
    parser = argparse.ArgumentParser(prog="python -m utils.classroom", description="The instructor's classroom tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solutions = commands.add_parser(
        "solutions",
        help="every exercise's task and solution, as Markdown, for the instructor's preparation",
        description="Print every exercise's task and solution as Markdown (for the instructor, not for learners).",
    )
    solutions.add_argument("notebook", nargs="?", help="01 to 06, or a stem such as 04_cnn (default: all)")
    solutions.add_argument("--output", metavar="FILE", help="write the Markdown to FILE instead of the screen")
    solutions.set_defaults(run=_solutions)
    _add_stick(commands)
    return parser


def _add_stick(commands):
    """Register `stick DEST --for OS/PYTHON ... [--cpu-only]`."""
    from utils import stick

    parser = commands.add_parser(
        "stick",
        help="fill a USB stick or shared folder with everything the room needs offline (run once, online)",
        description=stick.__doc__.split("\n\n")[0],
    )
    parser.add_argument("dest", metavar="DEST", help="the stick's folder (created if needed)")
    parser.add_argument(
        "--for",
        dest="targets",
        action="append",
        metavar="OS/PYTHON",
        help=f"a kind of laptop: linux, windows or macos, and Python {', '.join(stick.PYTHONS)}, e.g. windows/3.12; "
        f"repeat for each kind (default: this machine, {stick.this_machine()})",
    )
    parser.add_argument("--cpu-only", action="store_true", help="tensorflow-cpu (259 MB, not 620) in the Linux folders")
    parser.add_argument("--index-url", default=stick.PYPI, help="the package index to download from (default: PyPI)")
    parser.add_argument("--no-full-mnist", action="store_true", help="ship the 5,000-digit sample only")
    parser.set_defaults(run=_stick)


def _stick(args):
    from utils import stick

    try:
        targets = list(dict.fromkeys(stick.parse_target(t) for t in args.targets or [stick.this_machine()]))
        online = False if args.no_full_mnist else None
        summary = stick.make_stick(args.dest, targets, args.cpu_only, index_url=args.index_url, online=online)
    except stick.StickError as exc:
        raise ClassroomError(str(exc)) from exc
    megabytes = summary["bytes"] / 1e6
    print(f"\nWrote {args.dest}: {megabytes:,.0f} MB in all (the course at {summary['commit']}, {summary['data']}).")
    print("Checked, with the network unused:")
    for line in summary["checked"]:
        print(f"  - {line}")
    print(f"What to type on each laptop: {Path(args.dest) / 'INSTALL.md'}")
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
