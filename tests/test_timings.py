"""utils.timings: docs/timings.json's declared format, its loading, atomic saving, merging and the table."""

import copy
import json

import pytest

from utils import timings
from utils.course import NOTEBOOKS


def _run(label="a run", **changes):
    run = {
        "label": label,
        "date": "2026-01-01",
        "machine": {"cpus": 2, "cpu_model": "a CPU", "memory_gb": 8.0, "gpu": "no GPU", "os": "Linux x86_64"}
        | {"python": "3.11.7", "tensorflow": "2.20.0", "keras": "3.13.2", "summary": "a 2-CPU machine (no GPU)"},
        "data": "sample",
        "online": False,
        "load_start": 0.5,
        "load_end": 1.5,
        "speed": {"mlp": 0.003, "cnn": 0.012},
        "notebooks": [{"stem": "04_cnn", "title": "Convolutional networks", "status": "ok", "wall_s": 40.0}],
    }
    return run | changes


def test_the_committed_file_follows_the_format_and_covers_the_course():
    runs = timings.load_runs()
    assert runs, "docs/timings.json has no run: run .ci/time-notebooks"
    for run in runs:
        editions = [[nb.edition(language).stem for nb in NOTEBOOKS] for language in ("en", "es")]
        assert [record["stem"] for record in run["notebooks"]] in editions, run["label"]  # One edition, whole.
        keys = {key for record in run["notebooks"] for key in record}
        assert keys <= set(timings.NOTEBOOK_KEYS + timings.NOTEBOOK_OPTIONAL), "an undeclared key"
        assert set(run) <= set(timings.RUN_KEYS + timings.RUN_OPTIONAL)
        assert set(run["machine"]) <= set(timings.MACHINE_KEYS + timings.MACHINE_OPTIONAL)
    assert timings.reference_run(runs) is not None


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda payload: payload.pop("runs"), 'a list of "runs"'),
        (lambda payload: payload["runs"][0].pop("machine"), "runs[0] lacks machine"),
        (lambda payload: payload["runs"][0]["machine"].pop("cpus"), "runs[0].machine lacks cpus"),
        (lambda payload: payload["runs"][0].update(data="everything"), "runs[0].data is 'everything'"),
        (lambda payload: payload["runs"][0].update(speed={"mlp": 1}), "runs[0].speed must give seconds"),
        (lambda payload: payload["runs"][0]["notebooks"][0].pop("wall_s"), "runs[0].notebooks[0] lacks wall_s"),
        (lambda payload: payload["runs"][0].update(notebooks="04"), "runs[0].notebooks is not a list"),
    ],
)
def test_a_file_that_breaks_the_format_is_refused_with_where_and_what_to_do(tmp_path, breakage, words):
    payload = {"written_by": timings.WRITTEN_BY, "runs": [_run()]}
    breakage(payload)
    path = tmp_path / "timings.json"
    path.write_text(json.dumps(payload))
    with pytest.raises(timings.TimingsError) as refused:
        timings.load_runs(path)
    assert words in str(refused.value) and "Run .ci/time-notebooks again" in str(refused.value)


def test_a_missing_file_has_no_runs_and_a_broken_one_says_so(tmp_path):
    assert timings.load_runs(tmp_path / "none.json") == []
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(timings.TimingsError, match="not valid JSON"):
        timings.load_runs(tmp_path / "broken.json")


def test_save_round_trips_atomically_and_refuses_a_bad_run(tmp_path, monkeypatch):
    path = tmp_path / "docs" / "timings.json"
    timings.save_runs([_run()], path)
    assert timings.load_runs(path) == [_run()]
    assert json.loads(path.read_text())["written_by"] == ".ci/time-notebooks"
    assert [p.name for p in path.parent.iterdir()] == ["timings.json"], "no temporary file is left"
    with pytest.raises(timings.TimingsError):
        timings.save_runs([_run(data="all")], path)
    monkeypatch.setattr(timings.os, "replace", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        timings.save_runs([_run("another")], path)
    assert timings.load_runs(path) == [_run()], "a failed write leaves the old file whole"
    assert [p.name for p in path.parent.iterdir()] == ["timings.json"]


def test_merging_replaces_rows_or_a_whole_run_by_label():
    old = _run("x", notebooks=[{"stem": "03_mlp", "title": "M", "status": "ok", "wall_s": 1}])
    partial = _run("x")
    merged = timings.merge_rows([copy.deepcopy(old)], partial)
    assert [record["stem"] for record in merged[0]["notebooks"]] == ["03_mlp", "04_cnn"]
    other = _run("y")
    assert timings.replace_run([old, other], _run("x")) == [other, _run("x")]
    assert timings.reference_run([_run("slow", speed=None), other]) is other


def test_render_gives_one_table_per_run_with_the_machine_and_the_total():
    text = timings.render([_run("first"), _run("second", data="full")])
    assert text.startswith(timings.GENERATED) and text.count("| notebook |") == 2
    assert "**first**: measured on 2026-01-01 with 2 CPUs (a CPU, 8.0 GB memory, no GPU)" in text
    assert "| 04 · Convolutional networks | 40 s | – | – | not found in the outputs | not stated |" in text
    assert "the full MNIST (60,000 + 10,000 digits)" in text and "3 ms for the MLP, 12 ms for the small CNN" in text
    assert timings.duration(59.6) == "1 min 00 s" and timings.duration(125) == "2 min 05 s"
