"""INSTRUCTORS.md: the timing table comes from .ci/time-notebooks, the schedules fit, every notebook and deck is there.

No notebook runs here: the table is checked against docs/timings.json, which the script writes with it.
"""

import importlib.util
import re

import pytest

from tests import notebooks
from utils import ROOT, timings
from utils.course import NOTEBOOKS

GUIDE = ROOT / "INSTRUCTORS.md"
#: The four slide decks the course follows (their titles as the decks print them).
DECKS = (
    "Tutorial: Deep Learning con Tensorflow",
    "Construyendo Redes Convolucionales (CNN) con TensorFlow y Keras",
    "Seminario de deep learning y redes neuronales: Deep Learning I",
    "Python e IA: Deep Learning & Keras",
)
_LINK = re.compile(r"\[(\d\d) · ([^\]]+)\]\(notebooks/([\w]+)\.ipynb\)")


def _load_timing_script():
    spec = importlib.util.spec_from_file_location("time_notebooks", ROOT / ".ci" / "time_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


timing = _load_timing_script()


@pytest.fixture(scope="module")
def guide():
    return GUIDE.read_text(encoding="utf-8")


def _between_markers(text):
    assert timings.START in text and timings.END in text, "INSTRUCTORS.md lost its timing-table markers"
    return text.split(timings.START, 1)[1].split(timings.END, 1)[0].strip("\n") + "\n"


def _headings(notebook):
    """Return a notebook's headings without their #s, and without the "NN · " of its title."""
    lines = [text.splitlines() for text in notebooks.sources(notebook, "markdown")]
    found = {line.lstrip("#").strip() for cell in lines for line in cell if line.startswith("#")}
    return found | {re.sub(r"^\d\d · ", "", heading) for heading in found}


def _schedule(text, name):
    """Return the rows (start, minutes, what) of the schedule table after <!-- schedule:name -->."""
    block = text.split(f"<!-- schedule:{name} -->", 1)[1].strip().split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in block.splitlines()[2:]]
    return [(start.strip(), int(minutes), what.strip()) for start, minutes, what in rows]


def _minutes(clock):
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# --- The timing table -----------------------------------------------------------------------------------------


def test_the_timing_table_was_written_by_the_script(guide):
    table = _between_markers(guide)
    assert table.startswith(timings.GENERATED)
    assert table == timings.render(timings.load_runs()), (
        "the table in INSTRUCTORS.md differs from docs/timings.json: do not edit it by hand; run "
        "`.ci/time-notebooks` (or `.ci/time-notebooks --render-only` after editing the script)"
    )


def test_every_run_times_every_notebook_of_the_course(guide):
    runs = timings.load_runs()
    assert runs, "docs/timings.json has no run: run .ci/time-notebooks"
    table = _between_markers(guide)
    for run in runs:
        editions = [[nb.edition(language).stem for nb in NOTEBOOKS] for language in ("en", "es")]
        assert [record["stem"] for record in run["notebooks"]] in editions, run["label"]  # One edition, whole.
        assert run["machine"]["cpus"] >= 1 and run["data"] in timings.DATA and run["date"]
    for notebook in NOTEBOOKS:
        assert f"| {notebook.number} · {notebook.title} |" in table, notebook.stem


def test_every_notebook_has_a_key_result_pattern_that_reads_its_print():
    assert all(nb.key_result for nb in NOTEBOOKS), "declare each notebook's key_result in utils/course.py"
    assert set(timing.KEY_RESULTS) == {nb.number for nb in NOTEBOOKS}
    printed = {
        "01": "loss: 0.0391 -> 0.0336\n",
        "02": "test MSE = 0.255, test MAE = 0.401\n",
        "03": "test accuracy of the reloaded model: 96.4%\n",
        "04": "test accuracy: 98.50% (15 of 1,000 digits wrong)\n",
        "05": "mean squared error per pixel: noisy input 0.0466 -> denoised 0.0079\n",
        "06": "04_cnn reads 98.5% of the 1,000 sample test digits right.\n",
    }
    for number, text in printed.items():
        result = timing.key_result(number, "unrelated output\n" + text)
        assert result and re.search(r"\d", result), number
    assert timing.key_result("05", "nothing printed") is None


def test_render_shows_failures_load_and_data():
    run = {
        "label": "a test run",
        "date": "2026-01-01",
        "machine": {"cpus": 2, "cpu_model": "a CPU", "memory_gb": 8.0, "gpu": "no GPU", "os": "Linux x86_64"}
        | {"python": "3.11.7", "tensorflow": "2.20.0", "keras": "3.13.2"},
        "data": "full",
        "online": True,
        "load_start": 3.0,
        "load_end": 2.5,
        "speed": {"mlp": 0.008, "cnn": 0.04},
        "notebooks": [
            {"stem": "01_x", "title": "X", "status": "ok", "wall_s": 75.0, "peak_mb": 700, "result": "r"}
            | {"core_min": 25, "optional_min": 20, "total_min": None, "load_start": 0.4, "load_end": 1.2},
            {"stem": "02_y", "title": "Y", "status": "failed: NameError: name 'q' is not defined", "wall_s": 9.0}
            | {"result": None, "core_min": None, "optional_min": None, "total_min": 60},
        ],
    }
    assert timings.validate({"runs": [run]}) == [run], "the test's run follows the declared format"
    text = timings.render([run])
    assert "| 01 · X | 1 min 15 s | 0.4 → 1.2 | 700 MB | r | 25 min (+20) |" in text
    assert "| 02 · Y | **failed" in text and "| – |" in text  # A row measured before loads were recorded.
    assert "**failed: NameError: name 'q' is not defined** (after 9 s)" in text and "not found in the outputs" in text
    assert "not stated (60 in all)" in text and "the full MNIST" in text and "; online." in text
    assert "inflated" in text and "| all 2 | 1 min 24 s | | | | |" in text
    # The notebooks' own training raises the load as they run: only the load before the run says "shared".
    idle = timings.render([run | {"load_start": 0.7, "load_end": 1.8}])
    assert "inflated" not in idle and "otherwise idle" in idle


def test_write_guide_replaces_only_the_table(tmp_path):
    guide = tmp_path / "INSTRUCTORS.md"
    guide.write_text(f"# Guide\nbefore\n{timings.START}\nold table\n{timings.END}\nafter\n")
    assert timings.write_guide([], guide)
    text = guide.read_text()
    assert text.startswith("# Guide\nbefore\n") and text.endswith(f"{timings.END}\nafter\n") and "old" not in text
    (tmp_path / "bare.md").write_text("no markers\n")
    assert not timings.write_guide([], tmp_path / "bare.md")


# --- The guide's content ----------------------------------------------------------------------------------------


def test_the_guide_mentions_every_notebook_and_every_deck(guide):
    for notebook in NOTEBOOKS:
        assert f"(notebooks/{notebook.name})" in guide, notebook.name
    for deck in DECKS:
        assert f'"{deck}"' in guide, deck


def test_links_to_notebook_sections_name_headings_that_exist(guide):
    links = _LINK.findall(guide)
    assert len(links) > 50
    by_stem = {nb.stem: nb for nb in NOTEBOOKS}
    headings = {stem: _headings(nb) for stem, nb in by_stem.items()}
    wrong = [
        f"{number} · {text} -> {stem}"
        for number, text, stem in links
        if stem not in by_stem or number != stem[:2] or text not in headings[stem]
    ]
    assert not wrong, f"these links name no heading of their notebook (renamed?): {wrong}"


def test_the_3_hour_workshop_covers_every_core_path_within_3_hours(guide):
    rows = _schedule(guide, "3h")
    for (start, minutes, _), (next_start, _, _) in zip(rows, rows[1:], strict=False):
        assert _minutes(start) + minutes == _minutes(next_start), start
    assert _minutes(rows[0][0]) == 0 and sum(minutes for _, minutes, _ in rows) <= 180
    assert sum(1 for _, _, what in rows if what.startswith(("Break", "Stretch"))) >= 2
    slots = {what[1:3]: minutes for _, minutes, what in rows if what.startswith("[")}
    assert sorted(slots) == [nb.number for nb in NOTEBOOKS]
    for notebook in NOTEBOOKS:
        core = timing.overview_minutes(notebook.path)["core"]
        if core is not None:
            assert slots[notebook.number] >= core, f"{notebook.stem}: its Overview says {core} minutes of core path"


def test_the_full_day_gives_every_notebook_its_core_and_optional_parts(guide):
    rows = _schedule(guide, "day")
    for (start, minutes, _), (next_start, _, _) in zip(rows, rows[1:], strict=False):
        assert _minutes(start) + minutes == _minutes(next_start), start
    assert any("Lunch" in what for _, _, what in rows)
    slots = {what[1:3]: minutes for _, minutes, what in rows if what.startswith("[")}
    assert sorted(slots) == [nb.number for nb in NOTEBOOKS]
    for notebook in NOTEBOOKS:
        stated = timing.overview_minutes(notebook.path)
        needed = (stated["core"] or 0) + (stated["optional"] or 0) or stated["total"] or 0
        assert slots[notebook.number] >= needed, f"{notebook.stem}: its Overview adds up to {needed} minutes"


def test_the_guide_gives_the_offline_install_and_the_pre_flight_check(guide):
    for command in (
        "python -m utils.classroom stick /media/usb --for linux/3.11 --for windows/3.12 --for macos/3.12",
        "--cpu-only",
        "requirements-cpu.txt",
        ".venv\\Scripts\\Activate.ps1",
        "python data/build_mnist_sample.py",
        "pip install --no-index --find-links",
        "docker save dl-workshop:latest",
        "docker load < dl-workshop.tar.gz",
        "python -m utils.doctor",
        "from utils.doctor import main",
        "python -m utils.data --prefetch",
        ".ci/time-notebooks",
    ):
        assert command in guide, command


def test_the_guide_answers_the_common_learner_problems(guide):
    section = guide.split("## Common learner problems", 1)[1]
    for problem in ("install fails", "wrong folder", "NameError", "No GPU on Colab", "download stalls", "Widgets"):
        assert problem in section, problem
    setup = next(text for text in notebooks.sources(NOTEBOOKS[0]) if "raise RuntimeError" in text)
    (message,) = re.findall(r'"(Cannot find the course[^"]+)"', setup)  # The English of the wrong-folder error.
    assert message in section, "quote the Setup cell's own words"


def test_only_accepts_a_notebook_by_number_or_name_and_refuses_a_typo():
    assert [nb.number for nb in timing.select_notebooks(["4"])] == ["04"]
    assert [nb.number for nb in timing.select_notebooks(["06", "04_cnn", "4"])] == ["04", "06"]
    assert len(timing.select_notebooks(None)) == len(NOTEBOOKS)
    with pytest.raises(ValueError, match="--only 7: no such notebook"):
        timing.select_notebooks(["7"])


def test_write_replaces_only_the_rows_it_timed():
    old = {"label": "x", "notebooks": [{"stem": "03_mlp", "wall_s": 1}, {"stem": "04_cnn", "wall_s": 2}]}
    partial = {"label": "x", "notebooks": [{"stem": "04_cnn", "wall_s": 9}]}
    runs = timings.merge_rows([old], partial)
    assert [record["wall_s"] for record in runs[0]["notebooks"]] == [1, 9]
    assert timings.merge_rows([], partial) == [partial]


def test_the_script_times_the_chosen_notebooks_and_records_them_through_utils_timings(monkeypatch, capsys):
    saved = []
    monkeypatch.setattr(timing, "measure_speed", lambda: {"mlp": 0.003, "cnn": 0.012})
    monkeypatch.setattr(timing, "prepare_environment", lambda data, online: None)
    monkeypatch.setattr(timing, "load_average", lambda: 0.5)
    monkeypatch.setattr(
        timing,
        "run_notebook",
        lambda notebook, timeout, keep=None: (
            {"stem": notebook.stem, "title": notebook.title, "status": "ok"} | {"wall_s": 12.0, "result": None}
        ),
    )
    monkeypatch.setattr(timings, "save_runs", lambda runs: saved.append(runs))
    monkeypatch.setattr(timings, "write_guide", lambda runs: True)
    assert timing.main(["--only", "4", "--data", "sample"]) == 0
    assert "| 04 · Convolutional networks | 12 s |" in capsys.readouterr().out and not saved
    assert timing.main(["--only", "4", "--data", "sample", "--write"]) == 0
    (run,) = [run for run in saved[-1] if run["label"] == "2-core CPU laptop, offline"]
    assert [record["stem"] for record in run["notebooks"]] == [nb.stem for nb in NOTEBOOKS]
    assert next(r for r in run["notebooks"] if r["stem"] == "04_cnn")["wall_s"] == 12.0
    assert "updated 1 row(s) of docs/timings.json and the table" in capsys.readouterr().out
