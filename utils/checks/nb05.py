"""Exercises of notebook 05 · Autoencoders."""

import numpy as np

from utils.checks.core import (
    Incorrect,
    Mistake,
    NotAttempted,
    NumberProblem,
    Problem,
    PropertyFunctionProblem,
    as_number,
    contains_blank,
    format_number,
    number_in_order,
    require_function,
    wrong_type,
)
from utils.checks.model_rules import (
    activation_after,
    held_out_digits,
    leaf_layers,
    require_model,
    require_raw_digits,
    require_rescaling_first,
    run_model,
    share_of,
    your_layer,
)
from utils.i18n import N_, _

PIXELS = 28 * 28
#: The decks' convolutional encoder (Conv 16/32/64, each followed by a 2×2 max pooling) turns a
#: 28×28 digit into 3×3 feature maps with 64 channels.
DECK_CODE = 3 * 3 * 64


# Exercise 1: the compression ratio of the decks' convolutional encoder.


class ConvCodeRatio(NumberProblem):
    title = N_("How much smaller is the convolutional code?")
    call_example = "q1.check(ratio)"
    what = N_("the compression ratio")
    expected = PIXELS / DECK_CODE
    _parentheses = N_(
        "Python divides and multiplies from left to right: `a / b * c` is `(a / b) * c`, not `a / (b * c)`."
    )
    mistakes = [
        Mistake(
            DECK_CODE / PIXELS,
            N_(
                "that is the inverse: the code's size over the image's. The ratio says how many times *smaller* the "
                "code is, so divide the image's size by the code's."
            ),
            N_("A ratio above 1 means the code is smaller than the image: image size / code size."),
        ),
        Mistake(
            PIXELS / 3 * 3 * 64,
            N_(
                "the parentheses are missing: Python reads `28 * 28 / 3 * 3 * 64` from left to right, so it divides "
                "by the first 3 only, then multiplies by 3 and by 64. Put the code's whole size in parentheses: "
                "`28 * 28 / (... * ... * ...)`."
            ),
            _parentheses,
        ),
        Mistake(
            PIXELS / 9 * 64,
            N_(
                "that divides by part of the code's size and multiplies by the rest (`/ 9 * 64`, or `/ (3 * 3) * 64`): "
                "put the code's whole size in one pair of parentheses."
            ),
            _parentheses,
        ),
        Mistake(
            PIXELS / (3 * 3),
            N_(
                "that counts one number per position of the code, but each of its 3 × 3 positions holds 64 numbers, "
                "one per channel."
            ),
        ),
        Mistake(
            PIXELS / 64,
            N_(
                "that is 784 / 64: it counts the channels only, each of which is a 3 × 3 feature map (or the 3s "
                "cancelled out: `28 * 28 / 3 * 3 / 64` divides by 3, then multiplies by 3; use parentheses)."
            ),
        ),
        Mistake(
            PIXELS / (7 * 7 * 64),
            N_("7 × 7 × 64 is the shape before the last max pooling: the encoder ends with one more pooling."),
        ),
        Mistake(
            PIXELS / (4 * 4 * 64),
            N_("a 2×2 max pooling drops an odd last row and column: a 7×7 map becomes 3×3, not 4×4."),
        ),
        Mistake(
            PIXELS - DECK_CODE, N_("that is the difference between the two sizes; the ratio divides one by the other.")
        ),
        Mistake(
            1 - DECK_CODE / PIXELS,
            N_(
                "that is the fraction of the numbers the code saves (1 − code / image); the ratio divides the "
                "image's size by the code's."
            ),
        ),
        Mistake(
            PIXELS / 32,
            N_(
                "that is the ratio of the dense autoencoder (a code of 32 numbers); this question is about the "
                "convolutional encoder."
            ),
        ),
        Mistake(
            PIXELS / (3 * 3 * 4),
            N_(
                "3 × 3 × 4 = 36 is the code of our encoder, after the 1×1 convolution we added; the question is about "
                "the decks' code, the output of the third max pooling, before that convolution."
            ),
            N_("In the table of the convolutional autoencoder's layers, read the shape of the third MaxPooling2D."),
        ),
    ]
    hints = (
        N_(
            "The decks' code is what their encoder outputs, the output of its third max pooling: a feature map shaped "
            "(height, width, channels) holds height × width × channels numbers."
        ),
        N_(
            "The image has 28 × 28 = 784 pixels; the table of the convolutional autoencoder's layers prints the third "
            "MaxPooling2D's output shape (the line before our 1×1 Conv2D). The ratio is the image's size divided by "
            "the code's size."
        ),
    )
    solution_code = N_("""# The decks' code is 3 × 3 × 64: three 2×2 poolings take 28 to 14, 7, then 3.
ratio = (28 * 28) / (3 * 3 * 64)
q1.check(ratio)""")
    blank_message = N_("Replace `____` with the ratio (arithmetic is fine), then run the cell again.")
    fallback = N_(
        "that is not it: count the numbers in the output of the encoder's third max pooling (height × width × "
        "channels), then divide the image's pixels by that count."
    )
    correct_note = N_(
        "the decks' code holds 3 × 3 × 64 = 576 numbers, only about a quarter fewer than the 784 pixels, and 18 "
        "times as many as the dense autoencoder's code of 32: a much looser bottleneck. That is why our encoder "
        "squeezes it to 3 × 3 × 4 = 36 numbers with a 1×1 convolution before the two are compared."
    )


# Exercise 2: add_noise(images, std).


def _grey(shape, value=0.5, dtype="float32"):
    return np.full(shape, value, dtype=dtype)


class AddNoise(PropertyFunctionProblem):
    title = N_("Add Gaussian noise to images, then clip to [0, 1]")
    function_name = "add_noise"
    call_example = "q2.check(add_noise)"
    # Mid-grey images: the noise is never clipped there (0.5 is 5 standard deviations of 0.1 away
    # from 0 and 1), so its mean, spread and shape can be measured; every image of a grey batch is
    # the same, so noise repeated from image to image shows. Black and white images: most of the
    # noise pushes the pixels below 0 or above 1, where clipping must catch it.
    STDS = (0.1, 0.2)
    #: Shapes other than a batch of (28, 28) digits: the task says "any shape".
    OTHER_SHAPES = ((3, 5, 7), (10, 28, 28, 1), (28, 28))
    in_place_message = N_(
        "your function changed the images it was given: return a new array (`images + noise`) instead of "
        "adding the noise in place (`images += noise`)."
    )
    _per_pixel = N_("`rng.normal(0, std, size=images.shape)` draws a different number for every pixel of every image.")
    hints = (
        N_(
            "Three steps: draw one number per pixel from a normal distribution with mean 0 and standard deviation "
            "`std`, add it to the images, then clip the result to [0, 1]."
        ),
        N_(
            "`rng = np.random.default_rng()` makes a generator; `rng.normal(0, std, size=images.shape)` draws the "
            "noise; `np.clip(x, 0, 1)` clips."
        ),
    )
    solution_code = N_("""def add_noise(images, std):
    \"\"\"Return a copy of `images` (floats in [0, 1]) with Gaussian noise added, clipped to [0, 1].\"\"\"
    rng = np.random.default_rng()
    noisy = images + rng.normal(0, std, size=images.shape)
    return np.clip(noisy, 0, 1)


q2.check(add_noise)""")
    blank_message = N_("Replace `____` in `add_noise` with your code, then run the cell again.")
    correct_note = N_(
        "zero-mean Gaussian noise with the right standard deviation, a different number for each pixel, "
        "clipped to the range of a pixel, on images of any shape. This is how the denoising autoencoder's "
        "training inputs were made."
    )

    def _run(self, function, images, std):
        shown = _("`add_noise(images, {std})` with `images` shaped {shape}").format(std=std, shape=images.shape)
        result = self.call(function, images, std, shown=shown)
        if result.shape != images.shape:
            raise Incorrect(
                _(
                    "{call} returned shape {shape}: return the whole batch, with one random number added "
                    "to each pixel, so that the result has the shape of the images."
                ).format(call=shown, shape=result.shape),
                self._per_pixel,
            )
        return result

    def check_answer(self, function):
        require_function(function, self.function_name)
        grey = {std: self._run(function, _grey((100, 28, 28)), std) for std in self.STDS}
        black = self._run(function, _grey((20, 28, 28), 0.0), 0.3)
        white = self._run(function, _grey((20, 28, 28), 1.0), 0.3)
        self._check_scale(grey[0.1], black, white)
        noise = {std: result.astype("float64") - 0.5 for std, result in grey.items()}
        self._check_range(noise, black, white)
        self._check_per_pixel(noise[0.1])
        self._check_distribution(noise, black, white)
        self._check_other_shapes(function)
        return _(self.correct_note)

    def _check_scale(self, grey, black, white):
        """The images come back on the scale they went in: floats in [0, 1], not 0-255 nor divided by 255."""
        if grey.dtype.kind in "iu":
            if grey.max() > 1:
                raise Incorrect(
                    _(
                        "your function returns whole numbers from 0 to 255 (dtype {dtype}), like the notebook's "
                        "`noisy_digits`, which works on digits as `load_mnist()` gives them. `add_noise` takes floats "
                        "in [0, 1] and returns floats in [0, 1]: leave out the `* 255`, the rounding and the "
                        "conversion to uint8."
                    ).format(dtype=grey.dtype)
                )
            raise Incorrect(
                _(
                    "your function returns whole numbers (dtype {dtype}), so every pixel becomes 0 or 1: "
                    "return the floats themselves, without converting them."
                ).format(dtype=grey.dtype)
            )
        if np.median(grey) > 2:
            raise Incorrect(
                _(
                    "your function returns pixels on the 0-255 scale (a grey pixel of 0.5 comes back near "
                    "{value}): `add_noise` takes and returns floats in [0, 1], so leave out the `* 255`."
                ).format(value=format_number(round(float(np.median(grey)))))
            )
        if np.all(grey == 0.5) and np.all(black == 0) and np.all(white == 1):
            raise Incorrect(_("the images come back unchanged: no noise was added."))
        if white.mean() - black.mean() < 0.3:
            raise Incorrect(
                _(
                    "white images come back about as dark as black ones, as if your function ignored the images (or "
                    "divided them by 255): return the images plus the noise. The images are already floats in "
                    "[0, 1]."
                ),
                N_("`images + noise`, then clip."),
            )

    def _check_range(self, noise, black, white):
        results = [black, white, *(value + 0.5 for value in noise.values())]
        if any(result.min() < 0 or result.max() > 1 for result in results):
            raise Incorrect(
                _("some pixels lie outside [0, 1]: clip the noisy images, for example with `np.clip(..., 0, 1)`."),
                N_(
                    "Noise pushes black pixels below 0 and white pixels above 1; `np.clip(noisy, 0, 1)` puts them back."
                ),
            )

    def _check_per_pixel(self, noise):
        """Each pixel of each image gets its own random number: no pattern repeated across the batch."""
        if np.all(noise.std(axis=(1, 2)) < 1e-3):
            raise Incorrect(
                _("every pixel of an image got the same noise: draw one random number per pixel, not one per image."),
                self._per_pixel,
            )
        if all(np.array_equal(noise[0], image) for image in noise[1:]):
            raise Incorrect(
                _(
                    "every image of the batch got the same noise pattern: draw the noise for the whole batch at once "
                    "(`size=images.shape`), not one pattern that NumPy repeats for every image."
                ),
                self._per_pixel,
            )
        distinct = np.median([np.unique(image).size / image.size for image in noise[:10]])
        if distinct < 0.5:
            raise Incorrect(
                _(
                    "your noise repeats the same values within an image (along its rows or its columns): draw a "
                    "different random number for each pixel."
                ),
                self._per_pixel,
            )

    def _check_distribution(self, noise, black, white):
        """Mean 0, added (not multiplied), standard deviation `std` (not std²), a bell shape."""
        if abs(np.mean(noise[0.2])) > 0.01:
            raise Incorrect(
                _(
                    "on average your noise makes the images brighter (or darker): Gaussian noise has a mean of 0. "
                    "`rng.random` draws between 0 and 1; `rng.normal(0, std, ...)` draws around 0."
                ),
                N_("Draw the noise with `rng.normal(loc=0, scale=std, size=images.shape)`."),
            )
        if np.mean(black > 0) < 0.25 or np.mean(white < 1) < 0.25:
            raise Incorrect(
                _(
                    "black images stay black (or white ones white): *add* the noise to the pixels (do not multiply "
                    "them by it), then clip the sum."
                )
            )
        spread = {std: float(np.std(values)) for std, values in noise.items()}
        if np.isclose(spread[0.2], 0.2**2, rtol=0.1):
            raise Incorrect(
                _(
                    "the noise's standard deviation is std² (0.04 for std=0.2): `scale` is the standard deviation "
                    "itself, not the variance."
                )
            )
        if not all(np.isclose(spread[std], std, rtol=0.05) for std in self.STDS):
            raise Incorrect(
                _(
                    "the noise does not have the standard deviation `std` it was asked for (the checker tries "
                    "std=0.1 and std=0.2): use the `std` argument as the normal distribution's scale."
                ),
                N_("`rng.normal(0, std, size=images.shape)`: the second argument is the standard deviation."),
            )
        beyond = float(np.mean(np.abs(noise[0.1]) > 2 * 0.1))
        if not 0.03 < beyond < 0.065:
            raise Incorrect(
                _(
                    "the noise has the right spread but not the bell shape of a Gaussian (about 5 % of it should "
                    "lie beyond two standard deviations): draw it with `rng.normal`, not `rng.uniform`."
                )
            )

    def _check_other_shapes(self, function):
        """The task says "any shape": a single image, a batch with a channel axis, any size."""
        for shape in self.OTHER_SHAPES:
            images = _grey(shape, dtype="float64")
            try:
                result = self.call(function, images, 0.1, shown=_("it"))
            except Incorrect as wrong:
                if str(wrong) == _(self.in_place_message):
                    raise
                detail = str(wrong).rstrip(".")
            else:
                if result.shape == shape and 0 <= result.min() and result.max() <= 1 and np.any(result != images):
                    continue
                detail = (
                    _("it returned shape {shape}").format(shape=result.shape)
                    if result.shape != shape
                    else _("it returned no noisy pixels in [0, 1]")
                )
            raise Incorrect(
                _(
                    "your function works on batches shaped (n, 28, 28) but not on images shaped {shape}: {detail}. "
                    "The task says any shape, so nothing in it may assume 28 × 28 digits: draw the noise with "
                    "`size=images.shape`."
                ).format(shape=shape, detail=detail),
                self._per_pixel,
            )


# Exercise 3: a convolutional autoencoder with a 7 × 7 × 8 code.


def _shape_of(layer):
    """Return a layer's output shape without the batch axis, or None if Keras does not know it."""
    try:
        return tuple(layer.output.shape[1:])
    except Exception:  # A layer of a subclassed model, or one used twice, has no single output.
        return None


def _sizes(layer):
    shape = _shape_of(layer)
    return None if shape is None or None in shape else int(np.prod(shape))


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def require_raw_digits_rescaled(model, name):
    """Raise Incorrect unless `model` takes (28, 28) digits and rescales them inside, before any convolution."""
    require_raw_digits(model, name)
    require_rescaling_first(model)


def check_image_output(model, name):
    """Run `model` on random uint8 digits; raise Incorrect unless it returns (n, 28, 28) values in [0, 1]."""
    digits = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    outputs = run_model(model, digits, name)
    if outputs.shape != (4, 28, 28):
        raise Incorrect(
            _(
                "`{name}` turns a batch of 4 digits into shape {shape}; an autoencoder returns images "
                "shaped like its inputs, (4, 28, 28): end with `layers.Reshape((28, 28))`."
            ).format(name=name, shape=outputs.shape)
        )
    if np.isnan(outputs).any() or outputs.min() < 0 or outputs.max() > 1:
        raise Incorrect(
            _('the pixels `{name}` returns are not all in [0, 1]: give the last layer `activation="sigmoid"`.').format(
                name=name
            )
        )
    return outputs


class BuildConvAutoencoder(Problem):
    title = N_("Build a convolutional autoencoder with a 7 × 7 × 8 code")
    call_example = "q3.check(my_autoencoder)"
    hints = (
        N_(
            "Start like `denoiser`: `keras.Input(shape=(28, 28))`, `layers.Rescaling(1 / 255)`, "
            "`layers.Reshape((28, 28, 1))`. Each `MaxPooling2D(2)` halves the height and width: 28 → 14 → 7."
        ),
        N_(
            'Encoder: `layers.Conv2D(16, 3, padding="same", activation="relu")`, `layers.MaxPooling2D(2)`, then the '
            "same with 8 filters. Decoder: `layers.UpSampling2D(2)` and a ReLU `Conv2D` twice (7 → 14 → 28), then "
            '`layers.Conv2D(1, 3, padding="same", activation="sigmoid")` and `layers.Reshape((28, 28))`.'
        ),
    )
    solution_code = N_("""my_autoencoder = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        layers.Rescaling(1 / 255),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),  # 28×28×16 -> 14×14×16
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),  # 14×14×8 -> 7×7×8: the code
        layers.UpSampling2D(2),  # -> 14×14×8
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.UpSampling2D(2),  # -> 28×28×16
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),  # One channel, pixels in [0, 1].
        layers.Reshape((28, 28)),
    ]
)
q3.check(my_autoencoder)""")
    blank_message = N_("Replace `____` with your model (`keras.Sequential([...])`), then run the cell again.")
    _encoder = N_(
        'Encoder: `Conv2D(16, 3, padding="same", activation="relu")`, `MaxPooling2D(2)`, then the same with 8.'
    )

    def check_answer(self, model):
        from keras import layers

        name = "my_autoencoder"
        require_model(model, name)
        require_raw_digits_rescaled(model, name)
        found = leaf_layers(model)
        if any(isinstance(layer, (layers.Dense, layers.Flatten)) for layer in found):
            raise Incorrect(
                _("this autoencoder should be convolutional from end to end: no `Flatten` or `Dense` layers.")
            )
        shapes = [_shape_of(layer) for layer in found]
        maps = [i for i, shape in enumerate(shapes) if shape is not None and len(shape) == 3 and None not in shape]
        code_at = min(maps, key=lambda i: (shapes[i][0] * shapes[i][1], i), default=None)
        if code_at is None or shapes[code_at][:2] == (28, 28):
            raise Incorrect(_("the encoder needs `layers.MaxPooling2D(2)` after each convolution to shrink the image."))
        self._check_encoder(found[: code_at + 1], found, shapes[code_at])
        self._check_decoder(found[code_at + 1 :], found)
        check_image_output(model, name)
        return _(
            "{parameters:,} parameters, and a code of 7 × 7 × 8 = 392 numbers, half the pixels. "
            "Train it like the denoiser to see how much the smaller code costs."
        ).format(parameters=model.count_params())

    def _check_encoder(self, encoder, found, code):
        """Two 3×3 ReLU convolutions of 16 then 8 filters, each followed by a 2×2 max pooling: a 7 × 7 × 8 code."""
        from keras import layers

        convs = [layer for layer in encoder if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))]
        pools = [layer for layer in encoder if "Pooling" in type(layer).__name__]
        self._check_shrinking(found, convs, pools)
        self._check_skeleton(encoder, convs, pools, code)
        self._check_windows(found, convs, pools)
        filters = [conv.filters for conv in convs]
        if filters != [16, 8]:
            raise Incorrect(
                _(
                    "the encoder's convolutions have {filters} filters; the task asks for two, with 16 then 8 "
                    "filters, so that the code is 7 × 7 × 8."
                ).format(filters=filters),
                self._encoder,
            )
        for conv in convs:
            if activation_after(found, conv) != "relu":
                raise Incorrect(
                    _(
                        'the encoder\'s convolutions use ReLU, as the task says: {layer} needs `activation="relu"`.'
                    ).format(layer=your_layer(found, conv))
                )
        if tuple(code) != (7, 7, 8):
            raise Incorrect(_("the code is shaped {shape}; the task asks for 7 × 7 × 8.").format(shape=code))

    def _check_shrinking(self, found, convs, pools):
        """Max poolings shrink the maps, not strided convolutions nor another pooling."""
        from keras import layers

        strided = [layer for layer in convs if _pair(layer.strides) != (1, 1)]
        if strided:
            raise Incorrect(
                _(
                    "{layer} has `strides={stride}`, so it shrinks the maps itself; the task shrinks them with "
                    "pooling: keep the convolution's default stride of 1 and follow it with `layers.MaxPooling2D(2)`."
                ).format(layer=your_layer(found, strided[0]), stride=_pair(strided[0].strides)[0]),
                self._encoder,
            )
        not_max = [layer for layer in pools if not isinstance(layer, layers.MaxPooling2D)]
        if not_max:
            raise Incorrect(
                _(
                    "{layer} is not a max pooling; the task asks for 2×2 max pooling, which keeps the strongest "
                    "response of each 2×2 window: use `layers.MaxPooling2D(2)`."
                ).format(layer=your_layer(found, not_max[0])),
                self._encoder,
            )

    def _check_skeleton(self, encoder, convs, pools, code):
        """Conv2D, MaxPooling2D, Conv2D, MaxPooling2D, in that order."""
        skeleton = [type(layer).__name__ for layer in encoder if layer in convs or layer in pools]
        wanted = ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D"]
        if skeleton == wanted:
            return
        names = {"found": ", ".join(skeleton), "wanted": ", ".join(wanted)}
        if sorted(skeleton) == sorted(wanted):
            raise Incorrect(
                _(
                    "your encoder goes {found}; the task asks for each convolution to be followed by its pooling: "
                    "{wanted}."
                ).format(**names),
                self._encoder,
            )
        if code[:2] != (7, 7):
            raise Incorrect(
                _(
                    "the code (the smallest feature maps) is {height} × {width} pixels; it should be 7 × 7: "
                    "one 2×2 max pooling after each of the encoder's two convolutions takes 28 to 14, then 7."
                ).format(height=code[0], width=code[1])
            )
        raise Incorrect(
            _(
                "your encoder goes {found}; the task asks for two convolutions, each followed by a pooling: {wanted}."
            ).format(**names),
            self._encoder,
        )

    @staticmethod
    def _check_windows(found, convs, pools):
        """2×2 poolings of stride 2; 3×3 kernels with "same" padding, so that only the poolings shrink the maps."""
        for pool in pools:
            if _pair(pool.pool_size) != (2, 2) or _pair(pool.strides) != (2, 2):
                raise Incorrect(
                    _(
                        "{layer} has a pool size of {size} and strides of {strides}; the task asks for a 2×2 max "
                        "pooling, which halves the height and width: `layers.MaxPooling2D(2)`."
                    ).format(layer=your_layer(found, pool), size=_pair(pool.pool_size), strides=_pair(pool.strides))
                )
        for conv in convs:
            label = your_layer(found, conv)
            if conv.padding != "same":
                raise Incorrect(
                    _(
                        '{layer} uses `padding="{padding}"`, which trims the border of its maps; the task asks '
                        'for `padding="same"`, so that only the poolings shrink the image (28 → 14 → 7).'
                    ).format(layer=label, padding=conv.padding)
                )
            if _pair(conv.kernel_size) != (3, 3):
                size = _pair(conv.kernel_size)
                raise Incorrect(
                    _(
                        "{layer} has {height}×{width} kernels; the task asks for 3×3 kernels: "
                        "`layers.Conv2D(..., 3, ...)`."
                    ).format(layer=label, height=size[0], width=size[1])
                )

    def _check_decoder(self, decoder, found):
        from keras import layers

        grows = [
            layer
            for layer in decoder
            if isinstance(layer, layers.UpSampling2D)
            or (isinstance(layer, layers.Conv2DTranspose) and _pair(layer.strides) != (1, 1))
        ]
        if not grows:
            raise Incorrect(
                _(
                    "the decoder must grow the code back to 28 × 28: use `layers.UpSampling2D(2)` (or "
                    "`layers.Conv2DTranspose` with `strides=2`)."
                )
            )
        convs = [layer for layer in decoder if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))]
        if not convs:
            raise Incorrect(
                _(
                    "the decoder has no convolution: after growing the code, it needs ReLU convolutions, then a last "
                    'convolution with one filter and `activation="sigmoid"`.'
                )
            )
        last = convs[-1]
        if last.filters != 1:
            raise Incorrect(
                _(
                    "the last convolution ({layer}) has {filters} filters; a grey image has one channel: use 1 filter."
                ).format(layer=your_layer(found, last), filters=last.filters)
            )
        if activation_after(found, last) != "sigmoid":
            raise Incorrect(
                _(
                    'the last convolution ({layer}) needs `activation="sigmoid"`, so that every pixel lies in [0, 1].'
                ).format(layer=your_layer(found, last))
            )
        if len(convs) == 1:
            raise Incorrect(
                _(
                    "your decoder goes straight to its last convolution: the task asks for ReLU convolutions in the "
                    'decoder too, such as `layers.Conv2D(16, 3, padding="same", activation="relu")` after an '
                    "`UpSampling2D`, before the last one."
                ),
                N_(
                    'Decoder: `UpSampling2D(2)`, `Conv2D(16, 3, padding="same", activation="relu")`, '
                    "`UpSampling2D(2)`, then the last convolution."
                ),
            )
        for conv in convs[:-1]:
            if activation_after(found, conv) != "relu":
                raise Incorrect(
                    _(
                        "the decoder's convolutions before the last one use ReLU, as the task says: "
                        '{layer} needs `activation="relu"`.'
                    ).format(layer=your_layer(found, conv))
                )


# Exercise 4: a dense autoencoder with a 4-number code, trained and measured.

#: The fewest digits an error is measured on: fewer say little about the model.
MIN_DIGITS = 300


def _binary_crossentropy(reconstructions, targets, epsilon=1e-7):
    """Return the mean binary cross-entropy per pixel, as Keras computes it (predictions clipped to [ε, 1 − ε])."""
    p = np.clip(reconstructions.astype("float64"), epsilon, 1 - epsilon)
    return float(np.mean(-(targets * np.log(p) + (1 - targets) * np.log(1 - p))))


_EVALUATE = N_(
    "`evaluate()` returns the loss the model was compiled with, binary cross-entropy, not the MSE: compute "
    '`np.mean((reconstructions - x_test / 255) ** 2)`, or compile with `metrics=["mse"]` and take that number.'
)


class MeasuredError(NumberProblem):
    """The reconstruction error the learner measured, compared with the one the checker measures."""

    what = N_("the mean squared error")
    tolerance = 0.01
    fallback = N_(
        "that is not the mean squared error of `small_autoencoder` on these digits: compare its reconstructions "
        "with the digits scaled to [0, 1], square the differences and average them over all pixels."
    )

    def __init__(self, measured, crossentropy, absolute):
        super().__init__(4)
        self.expected = measured
        self.crossentropy = crossentropy
        self.mistakes = []
        if np.isclose(np.sqrt(measured), crossentropy, rtol=0.03):  # Two slips, one value: name both.
            self.mistakes.append(
                Mistake(
                    crossentropy,
                    N_(
                        "that is either the binary cross-entropy, the loss `evaluate()` returns, or the square root of "
                        "the mean squared error (the RMSE): for this model the two are almost equal, and neither is "
                        "the mean squared error."
                    ),
                    _EVALUATE,
                )
            )
        self.mistakes += [
            Mistake(
                np.sqrt(measured),
                N_("that is the square root of the mean squared error (the RMSE): leave out the square root."),
            ),
            Mistake(
                measured * 255**2,
                N_(
                    "that error is measured in pixel values 0-255: divide the digits by 255 before comparing, so "
                    "that pixels lie in [0, 1] like the reconstructions."
                ),
            ),
            Mistake(
                measured * PIXELS,
                N_("that is the error summed over the 784 pixels of a digit: take the mean over the pixels too."),
            ),
            Mistake(
                crossentropy,
                N_(
                    "that is the binary cross-entropy, the loss `small_autoencoder` was compiled with (what "
                    "`evaluate()` returns), not the mean squared error."
                ),
                _EVALUATE,
            ),
            Mistake(
                absolute,
                N_(
                    "that is the mean *absolute* error: square the differences instead of taking their absolute values."
                ),
            ),
        ]

    def other_checks(self, value):
        if abs(value - self.expected) <= 0.2 * self.expected:
            raise Incorrect(
                _(
                    "close, but not the error of this model on these digits: compute it from "
                    "`small_autoencoder.predict(x_test)` with at least two significant digits, after the training."
                )
            )
        if abs(value - self.crossentropy) <= 0.1 * self.crossentropy:
            raise Incorrect(
                _(
                    "that looks like a binary cross-entropy (the loss that `fit` and `evaluate()` report), not the "
                    "mean squared error."
                ),
                _EVALUATE,
            )


class SmallBottleneck(Problem):
    title = N_("Shrink the bottleneck to 4 numbers and measure the cost")
    call_example = "q4.check(small_autoencoder, x_test, small_mse)"
    hints = (
        N_(
            "`small_mse` compares the reconstructions (`small_autoencoder.predict(x_test, verbose=0)`, pixels in "
            "[0, 1]) with the digits scaled the same way, `x_test / 255`: square the differences, then average "
            "them all."
        ),
        _EVALUATE,
    )
    solution_code = N_("""def build_small_autoencoder():
    \"\"\"Return a new, compiled dense autoencoder whose code holds 4 numbers.\"\"\"
    set_seed(42)  # The same starting weights on every call, like build_dense_autoencoder.
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Flatten(),
            layers.Dense(4),  # The code: 4 numbers instead of 32 (no activation, like the dense code).
            layers.Dense(28 * 28, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    return compile_autoencoder(model)


small_autoencoder = build_small_autoencoder()
small_autoencoder.fit(x_train, x_train / 255, epochs=5, batch_size=32, verbose=2)
reconstructions = small_autoencoder.predict(x_test, verbose=0)
small_mse = np.mean((reconstructions - x_test / 255) ** 2)
q4.check(small_autoencoder, x_test, small_mse)""")
    blank_message = N_(
        "Replace each `____` (in `build_small_autoencoder`, then `small_mse`), run the cells again, and pass "
        "`q4.check(small_autoencoder, x_test, small_mse)`."
    )
    _build = N_(
        "Start from `build_dense_autoencoder`: copy its body into `build_small_autoencoder`, give the code layer "
        "4 units, `layers.Dense(4)`, and compile it the same way, with `compile_autoencoder`."
    )

    def check_answer(self, model, digits, small_mse):
        name = "small_autoencoder"
        require_model(model, name)
        require_raw_digits_rescaled(model, name)
        digits = self._digits(digits)
        found = leaf_layers(model)
        narrowest = min(((size, layer) for layer in found if (size := _sizes(layer)) is not None), key=lambda p: p[0])
        if narrowest[0] == 32:
            raise Incorrect(
                _("the narrowest layer still holds 32 numbers, like `dense_autoencoder`: shrink the code to 4."),
                N_("Only the code layer changes: `layers.Dense(4)`."),
            )
        if narrowest[0] != 4:
            raise Incorrect(
                _("the narrowest layer ({layer}) holds {size:,} numbers; the task asks for a code of 4.").format(
                    layer=your_layer(found, narrowest[1]), size=narrowest[0]
                ),
                self._build,
            )
        check_image_output(model, name)
        self._check_trained(model, name)
        reconstructions = run_model(model, digits, name).astype("float64")
        clean = digits.astype("float64") / 255
        measured = float(np.mean((reconstructions - clean) ** 2))
        crossentropy = _binary_crossentropy(reconstructions, clean)
        absolute = float(np.mean(np.abs(reconstructions - clean)))
        self._check_list(small_mse, measured, crossentropy)
        MeasuredError(measured, crossentropy, absolute).check_answer(small_mse)
        return _(
            "with 4 numbers per digit the error is {error} per pixel. Compare it with the 32-number code's, and "
            "look at the reconstructions: which digits survive such a narrow bottleneck?"
        ).format(error=format_number(measured))

    @staticmethod
    def _check_trained(model, name):
        """Judge the model on test digits set aside by the checker: it must beat drawing the average digit."""
        held_out = held_out_digits()[0]
        clean = held_out.astype("float64") / 255
        error = float(np.mean((run_model(model, held_out, name) - clean) ** 2))
        average_digit = float(np.mean((clean.mean(axis=0) - clean) ** 2))
        if error >= average_digit:
            raise Incorrect(
                _(
                    "on test digits it has never seen, `{name}` does no better than drawing the average digit every "
                    "time: train it (5 epochs of `fit` on `x_train`) before measuring its error."
                ).format(name=name),
                N_(
                    "Run the cell that builds `small_autoencoder` and trains it with `fit`, then measure. A code with "
                    '`activation="relu"` can die (every unit 0 for every digit): the dense code has no activation.'
                ),
            )

    @staticmethod
    def _check_list(answer, measured, crossentropy):
        """A list such as `evaluate()` returns ([loss, mse]) is not one number: say which is which."""
        if not isinstance(answer, (list, tuple)) or len(answer) < 2:
            return
        try:
            values = [as_number(value) for value in answer]
        except Incorrect:
            return
        holds_mse = any(np.isclose(value, measured, rtol=0.01) for value in values)
        if np.isclose(values[0], crossentropy, rtol=0.02):
            message = _(
                "you gave a list of {count} numbers, as `evaluate()` returns them: its first number is the "
                "loss (binary cross-entropy), not the mean squared error, and `small_mse` is one number."
            ).format(count=len(values))
            if holds_mse:
                message += " " + _("The mean squared error is among the metrics after it: pass that number alone.")
            raise Incorrect(message, _EVALUATE)
        if holds_mse:
            raise Incorrect(
                _(
                    "you gave a list of {count} numbers; `small_mse` is a single number: pass the mean squared "
                    "error alone (a list from `evaluate()` holds the loss first, then the metrics)."
                ).format(count=len(values))
            )

    @staticmethod
    def _digits(digits):
        if contains_blank(digits):
            raise NotAttempted
        if not hasattr(digits, "shape") or np.ndim(digits) != 3 or tuple(np.shape(digits)[1:]) != (28, 28):
            raise wrong_type(digits, N_("the test digits as `load_mnist()` returns them, shaped (n, 28, 28),"))
        digits = np.array(digits)  # A copy: the learner's array is never changed, nor kept.
        if digits.dtype != np.uint8:
            raise Incorrect(
                _(
                    "pass the test digits exactly as `load_mnist()` returns them (uint8, 0-255), `x_test`: the model "
                    "rescales them itself."
                )
            )
        if share_of(digits, "train") > 0.5:
            raise Incorrect(
                _(
                    "these are training digits, the ones `small_autoencoder` learned from: its error on them says "
                    "little about new digits. Measure it on the test digits, `x_test`."
                )
            )
        if share_of(digits, "test") < 0.9:
            raise Incorrect(
                _(
                    "these are not the test digits as `load_mnist()` returns them (noisy digits, or digits of your "
                    "own?): pass `x_test` itself."
                )
            )
        if len(digits) < MIN_DIGITS:
            raise Incorrect(
                _(
                    "{count:,} digits are too few to measure an error that means much: pass all the test digits, "
                    "`x_test` (at least {least:,})."
                ).format(count=len(digits), least=MIN_DIGITS)
            )
        return digits


q1, q2, q3, q4 = number_in_order(ConvCodeRatio, AddNoise, BuildConvAutoencoder, SmallBottleneck)
