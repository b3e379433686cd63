# The same cell works in JupyterLab and in Colab: it finds the course's `utils` package.
import os
import subprocess
import sys
from pathlib import Path

REPO, REF = "https://github.com/{repository}", "{ref}"  # Set by `python -m utils.course`.
here = Path.cwd().resolve()
ROOT = next((p for p in [here, *here.parents, here / "deep-learning-workshop"] if (p / "utils").is_dir()), None)
if ROOT is None and "google.colab" in sys.modules:  # On Colab: fetch the course once, at this notebook's version.
    url = os.environ.get("DL_WORKSHOP_CLONE_URL", REPO)
    git = ["git", "clone", "--quiet", "--depth", "1", "--branch", REF, url, "deep-learning-workshop"]
    done = subprocess.run(git, capture_output=True, text=True)
    if done.returncode != 0:
        problem = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        raise RuntimeError(
            f"Could not download the course from {url} ({problem}). "
            "Check the internet connection, then run this cell again."
        )
    ROOT = here / "deep-learning-workshop"
if ROOT is None:
    raise RuntimeError("Cannot find the course's utils/ folder: open this notebook from the course folder.")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
