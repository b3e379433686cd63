"""docs/timings.json: the notebooks' measured run times, its declared format, and the table made from it.

`.ci/time-notebooks` measures and writes it (`save_runs`), `python -m utils.doctor` reads it to scale the
times to a learner's laptop (`load_runs`, `reference_run`), and INSTRUCTORS.md shows it as a table
(`render`, `write_guide`). The format, one object::

    {"written_by": ".ci/time-notebooks", "runs": [run, ...]}

    run:      label, date (ISO), machine, data ("sample" or "full"), notebooks; and, when measured, online,
              load_start, load_end (the 1-minute load average) and speed ({"mlp": s, "cnn": s}: the doctor's
              training step on that machine)
    machine:  cpus, cpu_model, memory_gb (or null), gpu, os, python, tensorflow, keras, summary
    notebook: stem, title, status ("ok" or "failed: ..."), wall_s; and, when measured, load_start, load_end,
              peak_mb, result (the key result, or null), core_min, optional_min, total_min (the minutes its
              Overview states, or null), kernel_python (only when the kernel was not this Python)
"""

import json
import os
from pathlib import Path

from utils import ROOT
from utils.i18n import _

PATH = ROOT / "docs" / "timings.json"
WRITTEN_BY = ".ci/time-notebooks"
GUIDE = ROOT / "INSTRUCTORS.md"
START = "<!-- timings:start -->"
END = "<!-- timings:end -->"
#: The first line between the markers: what wrote the table, so that a test can tell it was not typed.
GENERATED = "<!-- Written by .ci/time-notebooks from docs/timings.json: do not edit by hand; run the script. -->"

#: The keys every run, machine and notebook record has (the others in the module's docstring are optional).
RUN_KEYS = ("label", "date", "machine", "data", "notebooks")
RUN_OPTIONAL = ("online", "load_start", "load_end", "speed")
MACHINE_KEYS = ("cpus", "cpu_model", "gpu", "os", "python", "tensorflow", "keras")
MACHINE_OPTIONAL = ("memory_gb", "summary")
NOTEBOOK_KEYS = ("stem", "title", "status", "wall_s")
NOTEBOOK_OPTIONAL = (
    "load_start",
    "load_end",
    "peak_mb",
    "result",
    "core_min",
    "optional_min",
    "total_min",
    "kernel_python",
)
#: What a run trained on: the sample, the full MNIST, or a stand-in of the full one's size (.ci/standin_mnist.py).
DATA = ("sample", "full", "standin")
SPEED_KINDS = ("mlp", "cnn")


class TimingsError(ValueError):
    """docs/timings.json does not follow its format; the message says where and what to do."""


def _missing(record, keys, where):
    absent = [key for key in keys if key not in record]
    if absent:
        raise TimingsError(_("{where} lacks {keys}").format(where=where, keys=", ".join(absent)))


def _check_machine_and_speed(run, where):
    if not isinstance(run["machine"], dict):
        raise TimingsError(_("{where} is not an object").format(where=f"{where}.machine"))
    _missing(run["machine"], MACHINE_KEYS, f"{where}.machine")
    speed = run.get("speed")
    if speed is not None and not (isinstance(speed, dict) and all(kind in speed for kind in SPEED_KINDS)):
        raise TimingsError(
            _("{where}.speed must give seconds for {kinds}").format(where=where, kinds=_(" and ").join(SPEED_KINDS))
        )


def _check_run(run, where):
    if not isinstance(run, dict):
        raise TimingsError(_("{where} is not an object").format(where=where))
    _missing(run, RUN_KEYS, where)
    _check_machine_and_speed(run, where)
    if run["data"] not in DATA:
        raise TimingsError(
            _("{where}.data is {data!r}, not one of {choices}").format(
                where=where, data=run["data"], choices=", ".join(DATA)
            )
        )
    if not isinstance(run["notebooks"], list):
        raise TimingsError(_("{where}.notebooks is not a list").format(where=where))
    for index, record in enumerate(run["notebooks"]):
        if not isinstance(record, dict):
            raise TimingsError(_("{where} is not an object").format(where=f"{where}.notebooks[{index}]"))
        _missing(record, NOTEBOOK_KEYS, f"{where}.notebooks[{index}]")


def validate(payload, source=PATH):
    """Return the runs of a parsed docs/timings.json; raise TimingsError saying what breaks its format."""
    try:
        if not isinstance(payload, dict) or not isinstance(payload.get("runs"), list):
            raise TimingsError(_('it is not an object with a list of "runs"'))
        for index, run in enumerate(payload["runs"]):
            _check_run(run, f"runs[{index}]")
    except TimingsError as exc:
        problem = _("{source} does not follow its format: {problem}. Run .ci/time-notebooks again.")
        raise TimingsError(problem.format(source=source, problem=exc)) from None
    return payload["runs"]


def load_runs(path=PATH):
    """Return the runs recorded in docs/timings.json (an empty list when there is none yet), validated."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise TimingsError(
            _("{path} is not valid JSON ({error}). Run .ci/time-notebooks again.").format(path=path, error=exc)
        ) from None
    return validate(payload, path)


def save_runs(runs, path=PATH):
    """Write `runs` to docs/timings.json atomically (a half-written file never takes its name)."""
    path = Path(path)
    validate({"runs": runs}, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"written_by": WRITTEN_BY, "runs": runs}
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def reference_run(runs):
    """Return the first run with a measured speed and notebooks (the doctor's reference), or None."""
    return next((run for run in runs if run.get("speed") and run.get("notebooks")), None)


def merge_rows(runs, partial):
    """Return `runs` with the rows of `partial` (a run of a few notebooks) replacing those of its label's run."""
    old = next((run for run in runs if run["label"] == partial["label"]), None)
    if old is None:
        return [*runs, partial]
    fresh = {record["stem"]: record for record in partial["notebooks"]}
    old["notebooks"] = [fresh.pop(record["stem"], record) for record in old["notebooks"]] + list(fresh.values())
    return runs


def replace_run(runs, run):
    """Return `runs` with `run` in place of the run of the same label (measured again), last."""
    return [old for old in runs if old["label"] != run["label"]] + [run]


# --- The table ------------------------------------------------------------------------------------------------


# The table is the English guide's (INSTRUCTORS.md): it stays English whatever the language selected, so that
# .ci/time-notebooks writes the same table from any shell and the guide's tests keep comparing it.


def duration(seconds):
    """Return seconds as the table shows them: "45 s", "1 min 15 s"."""
    seconds = int(round(seconds))
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


def _loads(run):
    machine = run["machine"]
    if run.get("load_start") is None:
        return ""
    text = f" Load average {run['load_start']} at the start and {run['load_end']} at the end"
    if run["load_start"] > machine["cpus"] * 0.75:
        return text + f" on {machine['cpus']} CPUs: a shared machine, so these times are inflated."
    return text + " (the notebooks' own work counts in it: the machine was otherwise idle)."


def _run_heading(run):
    machine = run["machine"]
    data = {
        "full": "the full MNIST (60,000 + 10,000 digits)",
        "standin": "a stand-in of the full MNIST's size, 60,000 + 10,000 digits made from the sample with random "
        "shifts (the full MNIST's work per epoch; its accuracies are not the full MNIST's)",
    }.get(run["data"], "the course's 5,000-digit sample")
    memory = f", {machine['memory_gb']} GB memory" if machine.get("memory_gb") else ""
    return (
        f"**{run['label']}**: measured on {run['date']} with {machine['cpus']} CPUs ({machine['cpu_model']}"
        f"{memory}, {machine['gpu']}), {machine['os']}, Python {machine['python']}, TensorFlow "
        f"{machine['tensorflow']}, Keras {machine['keras']}; data: {data}; "
        f"{'online' if run.get('online') else 'offline'}.{_loads(run)}"
    )


def _minutes(record):
    core = f"{record['core_min']} min" if record.get("core_min") else "not stated"
    if record.get("optional_min"):
        return core + f" (+{record['optional_min']})"
    if record.get("total_min"):
        return core + f" ({record['total_min']} in all)"
    return core


def _row(record):
    if record["status"] == "ok":
        wall = duration(record["wall_s"])
    else:
        wall = f"**{record['status']}** (after {duration(record['wall_s'])})"
    peak = f"{record['peak_mb']:,} MB" if record.get("peak_mb") else "–"
    result = record.get("result") or "not found in the outputs"
    load = f"{record['load_start']} → {record['load_end']}" if record.get("load_start") is not None else "–"
    return f"| {record['stem'][:2]} · {record['title']} | {wall} | {load} | {peak} | {result} | {_minutes(record)} |"


def _render_run(run):
    lines = [
        _run_heading(run),
        "",
        "| notebook | runs top to bottom in | load (start → end) | peak memory | key result | core path (+ optional) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [_row(record) for record in run["notebooks"]]
    total = sum(record.get("wall_s") or 0 for record in run["notebooks"])
    lines.append(f"| all {len(run['notebooks'])} | {duration(total)} | | | | |")
    speed = run.get("speed")
    if speed:
        lines += [
            "",
            f"Training step of `python -m utils.doctor` on this machine (its reference): "
            f"{speed['mlp'] * 1000:.0f} ms for the MLP, {speed['cnn'] * 1000:.0f} ms for the small CNN.",
        ]
    return lines + [""]


def render(runs):
    """Return the Markdown that goes between the markers in INSTRUCTORS.md, from docs/timings.json's runs."""
    lines = [GENERATED, ""]
    for run in runs:
        lines += _render_run(run)
    return "\n".join(lines).rstrip() + "\n"


def write_guide(runs, guide=GUIDE):
    """Replace the table between the markers in INSTRUCTORS.md; return False when the markers are missing."""
    guide = Path(guide)
    text = guide.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    guide.write_text(f"{head}{START}\n{render(runs)}{END}{tail}", encoding="utf-8")
    return True
