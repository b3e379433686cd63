#!/usr/bin/env bash
# Run the course as a Colab session would, inside one of Colab's runtime images (or, for a test
# here, in any environment with a stand-in `google.colab`):
#   - nothing preinstalled changes: only what Colab lacks (nbval) is added, under constraints that
#     pin everything already there, and the package list is compared before and after;
#   - each notebook starts alone in a session folder (like /content after clicking a badge), with
#     `google.colab` imported at kernel start, and its Setup cell fetches the course with git;
#   - the notebooks run under nbval with the course's recorded outputs.
# Usage: bash .ci/colab/in-runtime.sh [SOURCE]
#   SOURCE   the course checkout to serve as the clone source (default: this checkout); it is
#            copied to a local bare repository, so the Setup cell's `git clone` works offline.
# Environment: REQUIRE_GPU=1 fails unless TensorFlow sees a GPU (the GPU job);
#   NOTEBOOKS="01_tensors_and_gradients 06_filters" runs only those (default: all);
#   SESSION_DIR (default: a new temporary folder), PYTHON (default: python3).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
source_dir=$(cd "${1:-$here}" && pwd)
python=${PYTHON:-python3}
session=${SESSION_DIR:-$(mktemp -d)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "in-runtime: $("$python" --version), session folder $session"
"$python" - <<'PY'
import importlib.metadata as m
for name in ("tensorflow", "keras", "numpy", "ipykernel", "ipython", "ipywidgets"):
    try:
        print(f"in-runtime: {name} {m.version(name)}")
    except m.PackageNotFoundError:
        print(f"in-runtime: {name} not installed")
PY
if [ "${REQUIRE_GPU:-0}" = "1" ]; then
  # A GPU job that silently falls back to the CPU must not pass.
  "$python" -c '
import sys
import tensorflow as tf
gpus = tf.config.list_physical_devices("GPU")
print("in-runtime: GPUs seen by TensorFlow:", [g.name for g in gpus])
sys.exit(0 if gpus else "in-runtime: REQUIRE_GPU=1 but TensorFlow sees no GPU: the GPU runtime is not working")
'
fi

# Install only what Colab lacks, without moving anything Colab has.
"$python" -m pip freeze --all | grep -v '^-e ' > "$work/before.txt"
nbval=$(grep -i '^nbval==' "$here/requirements-test.txt")
"$python" -m pip install --quiet -c "$work/before.txt" "$nbval"
"$python" -m pip freeze --all | grep -v '^-e ' > "$work/after.txt"
changed=$(comm -23 <(sort "$work/before.txt") <(sort "$work/after.txt") || true)
if [ -n "$changed" ]; then
  echo "in-runtime: installing $nbval changed preinstalled packages:" >&2
  echo "$changed" >&2
  exit 1
fi

# The clone source: a bare repository made from the checkout, as GitHub would serve it.
git clone --quiet --bare "$source_dir" "$work/course.git"
export DL_WORKSHOP_CLONE_URL="file://$work/course.git"

# `google.colab` imported at kernel start, as in Colab; a stand-in where the real one is missing.
export IPYTHONDIR="$work/ipython"
mkdir -p "$IPYTHONDIR/profile_default/startup" "$work/standin/google/colab"
# No google/__init__.py: `google` is a namespace package (protobuf has a part of it too).
echo '"""A stand-in for Colab'"'"'s module, for runs outside Colab."""' > "$work/standin/google/colab/__init__.py"
cat > "$IPYTHONDIR/profile_default/startup/00-colab.py" <<PY
import sys
try:
    import google.colab  # noqa: F401  (the real one, inside Colab's image)
except ImportError:
    sys.path.append("$work/standin")
    import google.colab  # noqa: F401
PY

# Each notebook alone in the session folder, as when opened from its Colab badge.
mkdir -p "$session"
names=${NOTEBOOKS:-$(cd "$source_dir/notebooks" && ls *.ipynb | sed 's/\.ipynb$//')}
for name in $names; do cp "$source_dir/notebooks/$name.ipynb" "$session/"; done
# The Spanish edition too (all of it unless NOTEBOOKS names some), in es/ as in the course: its recorded outputs
# are found by that folder's name, and its notebooks fetch their own copy of the course there (06 reads 04's model).
mkdir -p "$session/es"
if [ -z "${NOTEBOOKS:-}" ]; then cp "$source_dir"/notebooks/es/*.ipynb "$session/es/"; fi
cd "$session"
# The course's pytest settings and recorded outputs come from the checkout; the notebooks fetch
# their own copy of the course with their Setup cell.
PYTHONPATH="$source_dir" "$python" -m pytest -p tests.conftest -c "$source_dir/pyproject.toml" \
  --rootdir "$session" -q --nbval-lax --nbval-current-env --nbval-cell-timeout=900 ./*.ipynb $(ls ./es/*.ipynb 2>/dev/null)
test -d "$session/deep-learning-workshop/utils" || { echo "in-runtime: the Setup cell did not fetch the course" >&2; exit 1; }
"$python" -m pip freeze --all | grep -v '^-e ' > "$work/end.txt"
if ! diff -q "$work/after.txt" "$work/end.txt" >/dev/null; then
  echo "in-runtime: running the notebooks changed installed packages:" >&2
  diff "$work/after.txt" "$work/end.txt" >&2 || true
  exit 1
fi
echo "in-runtime: passed"
