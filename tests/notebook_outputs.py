"""Expected outputs of the notebooks' `# NBVAL_CHECK_OUTPUT` cells, kept beside the notebooks.

Notebooks are committed without outputs (so Colab opens them fresh and diffs stay readable),
but nbval compares a marked cell's output with the output stored in the notebook. So the
reference outputs live in tests/notebook_outputs/<notebook>.json (the Spanish notebooks' in
tests/notebook_outputs/es/<notebook>.json: their cells print Spanish), keyed by the cell's source,
and tests/conftest.py hands them to nbval before the cells run. Record them again after
changing a marked cell (then read the diff: these are the values learners are promised):

    python -m tests.notebook_outputs notebooks/01_tensors_and_gradients.ipynb
    python -m tests.notebook_outputs notebooks/es/01_tensores_y_gradientes.ipynb
    python -m tests.notebook_outputs --language es      # every Spanish notebook (en: every English one)

A Spanish notebook's Setup cell selects Spanish (LANGUAGE = "es"), so its kernel prints the checkers' and
utils' messages in Spanish: record the Spanish outputs only once its cells and the Spanish message catalogs
(utils/locale/es/) are final, and again whenever either changes a checked cell's output. Run notebook 03
and 04 (English or Spanish) before 06, which reads the model 04 saves.
"""

import argparse
import json
import sys
from pathlib import Path

MARKER = "NBVAL_CHECK_OUTPUT"
OUTPUTS_DIR = Path(__file__).resolve().parent / "notebook_outputs"
TEXT_TYPES = ("text/plain", "text/markdown")


def outputs_file(notebook_path):
    """Return the JSON file holding the reference outputs for a notebook (es/ for a Spanish notebook)."""
    notebook_path = Path(notebook_path)
    folder = OUTPUTS_DIR / "es" if notebook_path.parent.name == "es" else OUTPUTS_DIR
    return folder / (notebook_path.stem + ".json")


def load_expected(notebook_path):
    """Return {cell source: [outputs]} for a notebook, or {} if none were recorded."""
    path = outputs_file(notebook_path)
    if not path.exists():
        return {}
    return {entry["source"]: entry["outputs"] for entry in json.loads(path.read_text(encoding="utf-8"))["cells"]}


def _clean(output):
    """Keep only what nbval compares for text: stream text, or text data of a result."""
    if output["output_type"] == "stream":
        return {"output_type": "stream", "name": output["name"], "text": output["text"]}
    if output["output_type"] in ("execute_result", "display_data"):
        data = {k: v for k, v in output["data"].items() if k in TEXT_TYPES}
        return {"output_type": "display_data", "metadata": {}, "data": data}
    raise ValueError(f"a checked cell produced a {output['output_type']!r} output; only text can be checked")


def record(notebook_path, timeout=600):
    """Run a notebook in a fresh kernel and store the outputs of its marked cells."""
    from nbclient import NotebookClient

    from tests.notebooks import read

    notebook_path = Path(notebook_path).resolve()
    nb = read(notebook_path)
    NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(notebook_path.parent)}}).execute()
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and MARKER in cell.source:
            outputs = [_clean(o) for o in cell.outputs]
            if any(o.get("name") == "stderr" for o in outputs):
                raise ValueError(f"a checked cell writes to stderr, which varies by machine:\n{cell.source}")
            cells.append({"source": cell.source, "outputs": outputs})
    path = outputs_file(notebook_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"notebook": notebook_path.name, "cells": cells}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    tmp.replace(path)
    print(f"recorded {len(cells)} checked cells of {notebook_path.name} in {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.notebook_outputs",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("notebooks", nargs="*", help="the notebooks to run and record (default: every English one)")
    parser.add_argument("--language", choices=["en", "es"], help="record every notebook of this edition")
    args = parser.parse_args(argv)
    if args.notebooks and args.language:
        parser.error("name notebooks or a --language, not both")
    from utils.course import NOTEBOOKS

    paths = args.notebooks or [notebook.path_in(args.language or "en") for notebook in NOTEBOOKS]
    for path in paths:
        record(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
