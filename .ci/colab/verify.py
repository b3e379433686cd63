"""Check that the active environment has exactly the pinned versions; list every drift.

Usage: python .ci/colab/verify.py PINS_FILE   (lines of name==version)
"""

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def main(argv):
    drift = []
    for line in Path(argv[1]).read_text().split():
        name, _, wanted = line.partition("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        if installed != wanted:
            drift.append(f"{name}: Colab has {wanted}, this environment {installed}")
    if drift:
        print("The environment differs from Colab's:\n  " + "\n  ".join(drift), file=sys.stderr)
        return 1
    print(f"colab-pinned: all {len(Path(argv[1]).read_text().split())} packages at Colab's versions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
