"""Make the small pictures that README.md shows for each notebook, from the browser run's screenshots.

The browser tests (tests/test_browser.py) save every figure as JupyterLab shows it in
screenshots/<notebook>/ (git-ignored). This script picks each notebook's key figure (SHOWCASE),
trims its white margin, shrinks it and reduces its colours, and writes docs/screenshots/<notebook>.png,
which is committed::

    python -m tests.make_screenshots           # run the browser tests, then write docs/screenshots/
    python -m tests.make_screenshots --reuse   # only convert the screenshots/ of an earlier browser run

After a notebook's figures change, check the pictures (and SHOWCASE's numbers) before committing them.
"""

import argparse
import subprocess
import sys
import time

from PIL import Image, ImageChops

from utils import ROOT
from utils.course import NOTEBOOKS

SCREENSHOTS = ROOT / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
#: Each notebook's key figure, as saved by the browser run (figure-NN counts the notebook's figures
#: from the top), and what README.md says it shows.
SHOWCASE = {
    "01_tensors_and_gradients": ("figure-01.png", "a derivative as the slope of the tangent"),
    "02_linear_regression": ("figure-08.png", "polynomials of degree 1, 3 and 15: under-fit, good fit, over-fit"),
    "03_mlp": ("figure-01.png", "XOR solved by a network with one hidden layer: its decision boundary"),
    "04_cnn": ("figure-08.png", "the 32 feature maps of the trained CNN's first layer for a 0"),
    "05_autoencoder": ("figure-07.png", "noisy test digits, denoised by the autoencoder, and the clean originals"),
    "06_filters": ("explorer-after.png", "the kernel explorer: pick a kernel, edit its weights, see the photo change"),
}
MAX_WIDTH = 640  # Pixels: README.md shows them at this width or less.
COLOURS = 64  # A palette this small keeps each PNG near 20-60 KB; plots and digits stay sharp.
MARGIN = 6


def shrink(source, target):
    """Write `source` trimmed of its uniform margin, at most MAX_WIDTH wide, with a small palette."""
    image = Image.open(source).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((0, 0)))
    box = ImageChops.difference(image, background).convert("L").point(lambda v: 255 if v > 16 else 0).getbbox()
    if box:
        left, top, right, bottom = box
        image = image.crop(
            (
                max(left - MARGIN, 0),
                max(top - MARGIN, 0),
                min(right + MARGIN, image.width),
                min(bottom + MARGIN, image.height),
            )
        )
    if image.width > MAX_WIDTH:
        image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.Resampling.LANCZOS)
    image = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)
    return image.size


def run_browser_tests():
    """Run the browser tests, which save the screenshots; return their exit status."""
    command = [sys.executable, "-m", "pytest", "-m", "browser", "-q", "tests/test_browser.py"]
    print("Running the browser tests:", " ".join(command[1:]))
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv=None):
    """Run the browser tests (unless --reuse), then write docs/screenshots/<notebook>.png for every notebook."""
    parser = argparse.ArgumentParser(prog="python -m tests.make_screenshots", description=main.__doc__)
    parser.add_argument("--reuse", action="store_true", help="convert the screenshots/ already there")
    args = parser.parse_args(argv)
    started = time.time()
    if not args.reuse and run_browser_tests() != 0:
        print("The browser tests failed: fix them first (their screenshots are in screenshots/).")
        return 1
    problems = []
    for notebook in NOTEBOOKS:
        name, _ = SHOWCASE[notebook.stem]
        source = SCREENSHOTS / notebook.stem / name
        if not source.exists():
            problems.append(f"{source.relative_to(ROOT)} is missing: run the browser tests (without --reuse)")
            continue
        if not args.reuse and source.stat().st_mtime < started:
            problems.append(f"{source.relative_to(ROOT)} is older than this run: were the browser tests skipped?")
            continue
        target = DOCS / f"{notebook.stem}.png"
        width, height = shrink(source, target)
        print(f"{target.relative_to(ROOT)}: {width}x{height}, {target.stat().st_size // 1024} KB from {name}")
    if problems:
        print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
