"""Shared helpers for the deep-learning workshop notebooks.

Importing `utils` is cheap and has no side effects: TensorFlow and Keras are imported only
inside the functions that need them.
"""

from pathlib import Path

#: The repository's root folder (the one holding notebooks/, data/ and utils/).
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT"]
