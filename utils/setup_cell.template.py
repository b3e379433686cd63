import os
import subprocess
import sys
from pathlib import Path

LANGUAGE = "{language}"
REPO, REF = "https://github.com/{repository}", "{ref}"
os.environ["DL_WORKSHOP_LANG"] = LANGUAGE
NO_DOWNLOAD, NO_UTILS = {
    "en": (
        "Could not download the course from {url} ({problem}). Check the internet connection, then run this cell "
        "again.",
        "Cannot find the course's utils/ folder: open this notebook from the course folder.",
    ),
    "es": (
        "No se pudo descargar el curso desde {url} ({problem}). Comprueba la conexión a internet y vuelve a ejecutar "
        "esta celda.",
        "No se encuentra la carpeta utils/ del curso: abre este notebook desde la carpeta del curso.",
    ),
}[LANGUAGE]
here = Path.cwd().resolve()
ROOT = next((p for p in [here, *here.parents, here / "deep-learning-workshop"] if (p / "utils").is_dir()), None)
if ROOT is None and "google.colab" in sys.modules:
    url = os.environ.get("DL_WORKSHOP_CLONE_URL", REPO)
    git = ["git", "clone", "--quiet", "--depth", "1", "--branch", REF, url, "deep-learning-workshop"]
    done = subprocess.run(git, capture_output=True, text=True)
    if done.returncode != 0:
        problem = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git: {done.returncode}"
        raise RuntimeError(NO_DOWNLOAD.format(url=url, problem=problem))
    ROOT = here / "deep-learning-workshop"
if ROOT is None:
    raise RuntimeError(NO_UTILS)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
