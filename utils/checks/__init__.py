"""Exercise checkers in the style of Kaggle's learntools: `____`, check(), hint(), solution().

A notebook imports the placeholder and its own problems, for example::

    from utils.checks import ____
    from utils.checks.nb01 import q1, q2, q3
"""

from utils.checks.core import Incorrect, Problem, Result, ____

__all__ = ["____", "Incorrect", "Problem", "Result"]
