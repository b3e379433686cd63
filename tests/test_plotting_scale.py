"""show_images draws every image of a batch on one grey scale, so a faint image looks faint beside a strong one."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _limits(fig):
    """Return the (black, white) values of every image drawn in the figure."""
    return [tuple(float(v) for v in ax.images[0].get_clim()) for ax in fig.axes if ax.images]


def test_faint_and_strong_floats_in_0_1_share_the_0_1_scale():
    strong = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    faint = 0.2 * strong  # A faint reconstruction: its brightest pixel is 0.2.
    fig = plotting.show_images(np.stack([strong, faint]))
    assert _limits(fig) == [(0.0, 1.0), (0.0, 1.0)]


def test_uint8_pixels_use_0_255_even_when_the_batch_is_dim():
    dim = np.full((3, 28, 28), 40, dtype=np.uint8)
    dim[0, 0, 0] = 90
    assert _limits(plotting.show_images(dim)) == [(0.0, 255.0)] * 3


def test_other_values_share_the_range_of_the_whole_batch():
    activations = np.zeros((3, 4, 4))
    activations[0, 0, 0], activations[1, 1, 1], activations[2] = 5.0, 0.5, -1.0  # A weak and a strong map.
    assert _limits(plotting.show_images(activations)) == [(-1.0, 5.0)] * 3


def test_vmin_and_vmax_set_the_scale_of_every_image():
    images = np.random.default_rng(0).random((4, 8, 8))
    assert _limits(plotting.show_images(images, vmin=-1, vmax=2)) == [(-1.0, 2.0)] * 4
    assert _limits(plotting.show_images(images * 3, vmin=0)) == [(0.0, float((images * 3).max()))] * 4


def test_a_batch_of_one_value_is_drawn_without_error():
    assert _limits(plotting.show_images(np.full((2, 4, 4), 7.0))) == [(7.0, 8.0)] * 2
    assert _limits(plotting.show_images(np.zeros((2, 4, 4)), vmax=0)) == [(-1.0, 0.0)] * 2


def test_the_mixed_figure_of_notebook_05_keeps_a_faint_reconstruction_faint():
    """Digits (0-255 scaled to 0-1) above reconstructions: one scale, so the dim one stays dim."""
    digits = np.zeros((2, 28, 28))
    digits[:, 10:18, 10:18] = 1.0
    fig = plotting.show_images(np.concatenate([digits, 0.3 * digits]), ncols=2)
    (top, _, bottom, _) = [ax.images[0] for ax in fig.axes]
    assert top.get_clim() == bottom.get_clim() == (0.0, 1.0)
    assert bottom.norm(0.3) == pytest.approx(0.3), "a pixel of 0.3 is drawn 30 % grey, not white"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"vmin": 1, "vmax": 0}, ValueError, "vmin must be below vmax"),
        ({"vmin": "0"}, TypeError, "vmin must be a number"),
        ({"vmax": [255]}, TypeError, "vmax must be a number"),
    ],
)
def test_bad_scales_say_what_to_do(kwargs, error, message):
    with pytest.raises(error, match=message):
        plotting.show_images(np.zeros((2, 4, 4)), **kwargs)


def test_a_row_of_ten_digits_fits_the_notebook_width():
    fig = plotting.show_images(np.zeros((20, 28, 28), dtype=np.uint8), ncols=10)
    assert fig.get_figwidth() <= plotting.MAX_FIGURE_WIDTH + 1e-9
