"""The course in one place: its notebooks, in order, and the repository's address.

Tests, tools and the README table read this list, so a new notebook joins every test by being
listed here (and existing in notebooks/).
"""

from dataclasses import dataclass

from utils import ROOT

#: Where the course lives on GitHub: the Colab badges and the Setup cell's clone use it.
REPOSITORY = "dl-workshop/deep-learning-workshop"


@dataclass(frozen=True)
class Notebook:
    """One notebook of the course."""

    stem: str  # "04_cnn"
    title: str  # "Convolutional networks"
    min_exercises: int = 4

    @property
    def number(self):
        return self.stem[:2]

    @property
    def name(self):
        return f"{self.stem}.ipynb"

    @property
    def path(self):
        return ROOT / "notebooks" / self.name

    @property
    def colab_url(self):
        return f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{self.name}"


NOTEBOOKS = (
    Notebook("01_tensors_and_gradients", "Tensors and gradients"),
    Notebook("02_linear_regression", "Linear regression"),
    Notebook("03_mlp", "Multilayer perceptron", min_exercises=5),
    Notebook("04_cnn", "Convolutional networks", min_exercises=5),
    Notebook("05_autoencoder", "Autoencoders"),
    Notebook("06_filters", "Filters"),
)


def existing_notebooks():
    """Return the listed notebooks whose file exists (all of them once the course is complete)."""
    return [notebook for notebook in NOTEBOOKS if notebook.path.exists()]
