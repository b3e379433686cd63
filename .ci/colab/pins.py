"""Print `name==version` for each package of colab-packages.txt, with Colab's version.

Usage: python .ci/colab/pins.py [pip-freeze file]  (default: pip-freeze.txt beside this file)
Fails, naming the package, if Colab's list does not have one of them.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_versions(freeze):
    versions = {}
    for line in freeze.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, version = line.partition("==")
            versions[normalise(name)] = version.strip()
    return versions


def main(argv):
    freeze = Path(argv[1]) if len(argv) > 1 else HERE / "pip-freeze.txt"
    versions = colab_versions(freeze)
    wanted = [line.strip() for line in (HERE / "colab-packages.txt").read_text().splitlines()]
    missing = []
    for name in (line for line in wanted if line and not line.startswith("#")):
        if normalise(name) in versions:
            print(f"{name}=={versions[normalise(name)]}")
        else:
            missing.append(name)
    if missing:
        print(f"Colab's list {freeze} has no {', '.join(missing)}: update colab-packages.txt", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
