"""Run every notebook headless from a fresh kernel; record its wall time, peak memory and key result.

Run through `.ci/time-notebooks` (see its --help). For each notebook of utils/course.py, in course
order (06 uses the model 04 saves), it starts a fresh kernel with nbclient and runs every cell, as
"Restart Kernel and Run All Cells" would, and records (the English notebooks, then the Spanish ones of
notebooks/es/ as a run of their own, labelled "<label> (Spanish notebooks)"; --language chooses):

- the wall time, from the kernel's start to the last cell's end (what a learner waits with Run All);
- the kernel's peak memory (its maximum resident set size, read by a cell appended at the end);
- the key result, read from the executed notebook's printed outputs by its pattern (utils/course.py's
  Notebook.key_result).

It also times the training step of `python -m utils.doctor` on the same machine, before and after the
notebooks, so that the doctor can scale these times to a learner's laptop. The results go to
docs/timings.json (one run per --label, replaced when measured again), and the table to INSTRUCTORS.md
between its markers, with the date, the machine and the data: utils/timings.py owns that file's format
and the table. A failing notebook is recorded as
failed (with its error) and the others still run; the exit status is then 1.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from utils import timings  # noqa: E402  (after the course is on sys.path)
from utils.course import NOTEBOOKS, language_of  # noqa: E402
from utils.env import driver_gpu_names  # noqa: E402

TIMINGS = timings.PATH
GUIDE = timings.GUIDE

#: The cell appended to each notebook: the kernel reports its own peak memory and versions.
PROBE = """import json as _json, platform as _platform, resource as _resource, sys as _sys
_peak = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
print("TIMING-PROBE " + _json.dumps({"peak_kb": _peak if _sys.platform != "darwin" else _peak // 1024,
      "python": _platform.python_version(), "executable": _sys.executable}))"""
_PROBE_LINE = re.compile(r"^TIMING-PROBE (\{.*\})$", re.MULTILINE)
#: Where each notebook states its teaching time, in its Overview: (its heading, then the patterns of the core
#: path, of what the optional parts add and of the total), in each edition's words.
OVERVIEWS = {
    "en": (
        "## Overview",
        re.compile(r"Core\s+path:\s+about\s+(\d+)\s+minutes"),
        re.compile(r"add\s+about\s+(\d+)\s+minutes"),
        re.compile(r"Time:\s+about\s+(\d+)\s+minutes"),
    ),
    "es": (
        "## Presentación",
        re.compile(r"Recorrido\s+básico:\s+unos\s+(\d+)\s+minutos"),
        re.compile(r"añaden\s+unos\s+(\d+)\s+minutos"),
        re.compile(r"Tiempo:\s+unos\s+(\d+)\s+minutos"),
    ),
}
#: The label of a run of the Spanish notebooks: that of the English run, and this.
SPANISH_RUN = " (Spanish notebooks)"


def _package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe_machine():
    """Return what the table says about the machine: CPUs, memory, OS, Python, TensorFlow, load."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " ".join(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    memory_gb = None
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError, AttributeError):
        pass
    gpu = ", ".join(driver_gpu_names()) or "no GPU"
    machine = {
        "cpus": cpus,
        "cpu_model": model,
        "memory_gb": round(memory_gb, 1) if memory_gb else None,
        "gpu": gpu,
        "os": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "tensorflow": _package_version("tensorflow"),
        "keras": _package_version("keras"),
    }
    machine["summary"] = f"a {cpus}-CPU machine ({gpu})"
    return machine


def load_average():
    """Return the 1-minute load average, or None where the system has none (Windows)."""
    try:
        return round(os.getloadavg()[0], 1)
    except (AttributeError, OSError):
        return None


def measure_speed():
    """Time the doctor's training step in a fresh Python, as a learner's `python -m utils.doctor` does."""
    code = "import json; from utils.doctor import measure_speed; print(json.dumps(measure_speed(steps=20)))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"measuring the training step failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def overview_minutes(path):
    """Return {"core", "optional", "total"}: the minutes a notebook's Overview states (None where it is silent)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    heading, *found = OVERVIEWS[language_of(Path(path))]
    text = next((cell.source for cell in notebook.cells if cell.source.startswith(heading)), "")
    patterns = dict(zip(("core", "optional", "total"), found, strict=True))
    found = {key: pattern.search(text) for key, pattern in patterns.items()}
    return {key: int(match.group(1)) if match else None for key, match in found.items()}


def add_overview_minutes(notebook):
    """Return the record fields core_min, optional_min and total_min of a notebook, read from its Overview."""
    return {f"{key}_min": minutes for key, minutes in overview_minutes(notebook.path).items()}


def printed_text(notebook):
    """Return everything the executed notebook printed or displayed as text, cell after cell."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output and "text/plain" in output["data"]:
                parts.append(output["data"]["text/plain"])
    return "\n".join(parts)


#: Each notebook's key result, as utils/course.py declares it: (a label, a pattern, how to show the groups).
KEY_RESULTS = {notebook.number: notebook.key_result for notebook in NOTEBOOKS if notebook.key_result}


def key_result(number, text, key=None):
    """Return the key result of notebook `number` read from its printed `text`, or None when not found.

    `key` is the (label, pattern, shown) to read it by: by default the English notebook's.
    """
    if key is None and number not in KEY_RESULTS:
        return None
    label, pattern, shown = key or KEY_RESULTS[number]
    matches = re.findall(pattern, text)
    if not matches:
        return None
    groups = matches[-1] if isinstance(matches[-1], tuple) else (matches[-1],)
    return f"{label}: {shown.format(*groups)}"


def run_notebook(notebook, timeout, keep=None):
    """Execute one notebook in a fresh kernel; return its record for docs/timings.json."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    record = {"stem": notebook.stem, "title": notebook.title, "load_start": load_average()}
    nb = nbformat.read(notebook.path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(notebook.path.parent)}}
    )
    start = time.perf_counter()
    try:
        client.execute()
        record["status"] = "ok"
    except CellExecutionError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        record["status"] = "failed: " + (lines[-1] if lines else type(exc).__name__)[:300]
    except (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as exc:
        record["status"] = f"failed: {type(exc).__name__}: {str(exc)[:300]}"
    record["wall_s"] = round(time.perf_counter() - start, 1)
    record["load_end"] = load_average()
    text = printed_text(nb)
    probe = _PROBE_LINE.search(text)
    if probe:
        info = json.loads(probe.group(1))
        record["peak_mb"] = round(info["peak_kb"] / 1024)
        if Path(info["executable"]).resolve() != Path(sys.executable).resolve():
            record["kernel_python"] = info["executable"]  # A kernel spec pointing elsewhere: say so.
    record["result"] = key_result(notebook.number, text, notebook.key_result) if notebook.key_result else None
    record.update(add_overview_minutes(notebook))
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(keep) / notebook.name)
    return record


def choose_data(requested):
    """Return "full" or "sample": what the notebooks will load (auto: full if a verified copy is cached)."""
    if requested != "auto":
        return requested
    from utils.data import cached_mnist_status

    return "full" if cached_mnist_status()[0] == "ok" else "sample"


def select_notebooks(only):
    """Return the notebooks that `--only` names ("04", "4" or "04_cnn"), all of them when it is empty.

    Raises ValueError naming what matches no notebook (a typo must not time nothing in silence).
    """
    if not only:
        return list(NOTEBOOKS)
    chosen, unknown = [], []
    for wanted in only:
        text = wanted.strip().removesuffix(".ipynb")
        key = text.zfill(2) if text.isdigit() else text
        match = [nb for nb in NOTEBOOKS if key in (nb.number, nb.stem)]
        if match:
            chosen += [nb for nb in match if nb not in chosen]
        else:
            unknown.append(wanted)
    if unknown:
        numbers = ", ".join(nb.number for nb in NOTEBOOKS)
        raise ValueError(f"--only {' '.join(unknown)}: no such notebook; use their numbers ({numbers}).")
    return sorted(chosen, key=NOTEBOOKS.index)


def _parser():
    parser = argparse.ArgumentParser(prog=".ci/time-notebooks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="2-core CPU laptop, offline", help="the run's name in the table")
    parser.add_argument(
        "--data",
        choices=["auto", "sample", "full", "standin"],
        default="auto",
        help="which MNIST to use; standin: 60,000 + 10,000 digits made from the sample (.ci/standin_mnist.py), "
        "the full MNIST's size where it cannot be downloaded",
    )
    parser.add_argument("--online", action="store_true", help="let the notebooks use the network")
    parser.add_argument(
        "--only", nargs="+", metavar="NN", help="run only these notebooks: 04, 4 or 04_cnn (printed; see --write)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="with --only: replace those notebooks' rows in the run of this --label and rewrite the table",
    )
    parser.add_argument("--timeout", type=int, default=1800, help="seconds one cell may run (default 1800)")
    parser.add_argument("--keep", metavar="DIR", help="also save the executed notebooks in DIR")
    parser.add_argument(
        "--language",
        choices=["en", "es", "all"],
        default="all",
        help="the English notebooks, the Spanish ones (notebooks/es/, a run labelled '<label> (Spanish notebooks)') "
        "or all twelve (default)",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the table from docs/timings.json, with the Overviews' minutes read again (runs no notebook)",
    )
    return parser


def render_only(runs):
    """Read the Overviews' minutes again into `runs`, save them and rewrite the table; return the exit status."""
    editions = [notebook.edition(language) for notebook in NOTEBOOKS for language in ("en", "es")]
    by_stem = {notebook.stem: notebook for notebook in editions}
    for record in (record for run in runs for record in run["notebooks"] if record["stem"] in by_stem):
        record.update(add_overview_minutes(by_stem[record["stem"]]))  # The Overviews may have changed.
    timings.save_runs(runs)
    if not timings.write_guide(runs):
        print(f"{GUIDE.name} has no {timings.START} ... {timings.END} markers", file=sys.stderr)
        return 1
    print(f"wrote the table of {len(runs)} run(s) into {GUIDE.name}")
    return 0


def prepare_environment(data, online):
    """Set what the notebooks' kernels inherit: which MNIST, offline or not, and quiet TensorFlow."""
    os.environ["DL_WORKSHOP_MNIST"] = data
    if data == "standin":  # The kernels load the stand-in as the full MNIST, from a temporary folder.
        import tempfile

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import standin_mnist

        os.environ.update(standin_mnist.prepare(tempfile.mkdtemp(prefix="standin-mnist-"), ROOT))
    if not online:
        os.environ["DL_WORKSHOP_OFFLINE"] = "1"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def time_run(notebooks, args, data, label=None):
    """Time the doctor's training step and each notebook; return the run for docs/timings.json."""
    run = {
        "label": label or args.label,
        "date": datetime.date.today().isoformat(),
        "machine": describe_machine(),
        "data": data,
        "online": args.online,
        "load_start": load_average(),
    }
    print(f"Timing {len(notebooks)} notebooks with the {data} MNIST on {run['machine']['summary']}", flush=True)
    before = measure_speed()
    records = []
    for notebook in notebooks:
        print(f"  {notebook.name} ...", end=" ", flush=True)
        record = run_notebook(notebook, args.timeout, keep=args.keep)
        records.append(record)
        wall = timings.duration(record["wall_s"])
        print(f"{record['status']}, {wall}, {record.get('peak_mb')} MB, {record['result']}")
    after = measure_speed()
    run["load_end"] = load_average()
    run["speed"] = {kind: round(min(before[kind], after[kind]), 5) for kind in before}  # As the doctor: the fastest.
    run["notebooks"] = records
    return run


def record_run(runs, run, args):
    """Save `run` (all its notebooks, or with --write the rows it timed) and rewrite the table; or print it.

    Return the runs as saved (unchanged when only printed).
    """
    if args.only and not args.write:
        print(timings.render([run]))
        return runs
    partial = bool(args.only)
    runs = timings.merge_rows(runs, run) if partial else timings.replace_run(runs, run)
    timings.save_runs(runs)
    wrote = timings.write_guide(runs)
    if partial:
        print(
            f"updated {len(run['notebooks'])} row(s) of {TIMINGS.relative_to(ROOT)}"
            + (" and the table" if wrote else "")
        )
    else:
        print(f"wrote {TIMINGS.relative_to(ROOT)}" + (f" and the table in {GUIDE.name}" if wrote else ""))
    return runs


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        runs = timings.load_runs()
    except timings.TimingsError as exc:
        parser.error(str(exc))
    if args.render_only:
        return render_only(runs)
    try:
        notebooks = select_notebooks(args.only)
    except ValueError as exc:
        parser.error(str(exc))
    data = choose_data(args.data)
    prepare_environment(data, args.online)  # The kernels inherit the environment.
    failed = []
    for language in ("en", "es") if args.language == "all" else (args.language,):
        label = args.label + (SPANISH_RUN if language == "es" else "")
        run = time_run([notebook.edition(language) for notebook in notebooks], args, data, label)
        runs = record_run(runs, run, args)
        failed += [record["stem"] for record in run["notebooks"] if record["status"] != "ok"]
    if failed:
        print(f"FAILED: {', '.join(failed)} (recorded as failed in the table)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
