"""What a learner sees in JupyterLab after *Run > Run All Cells*, per notebook (tests/test_browser.py).

FIGURES counts the images that matplotlib draws into output areas (`plt.show()`), as JupyterLab
renders them; the explorer's picture in 06 is a widget, not counted here. Each count was checked
by looking at the figures the browser run saves in screenshots/<notebook>/. A notebook that draws
a figure more or fewer changes its count here, in the same commit.

WIDGET_VIEWS counts the outputs that display an ipywidgets view (06's kernel explorer).

The Spanish notebooks the browser test runs are keyed by their path below notebooks/ ("es/06_filtros").
"""

FIGURES = {
    "01_tensors_and_gradients": 1,
    "02_linear_regression": 9,
    "03_mlp": 10,
    "04_cnn": 8,
    "05_autoencoder": 11,
    "06_filters": 7,
    "es/06_filtros": 7,  # The Spanish 06 (notebooks/es/): the same program, so the same figures.
}

WIDGET_VIEWS = {
    "06_filters": 1,
    "es/06_filtros": 1,
}
