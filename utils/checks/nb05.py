"""Exercises of notebook 05 · Autoencoders."""

import numpy as np

from utils.checks.core import (
    FunctionProblem,
    Incorrect,
    Mistake,
    NotAttempted,
    NumberProblem,
    Problem,
    activation_name,
    call_learner,
    contains_blank,
    format_number,
    layers_of,
    require_function,
    require_model,
    run_model,
    wrong_type,
)

PIXELS = 28 * 28
#: The decks' convolutional encoder (Conv 16/32/64, each followed by a 2×2 max pooling) turns a
#: 28×28 digit into 3×3 feature maps with 64 channels.
DECK_CODE = 3 * 3 * 64


# Exercise 1: the compression ratio of the decks' convolutional encoder.


class ConvCodeRatio(NumberProblem):
    title = "How much smaller is the convolutional code?"
    what = "the compression ratio"
    expected = PIXELS / DECK_CODE
    mistakes = [
        Mistake(
            DECK_CODE / PIXELS,
            "that is the inverse: the code's size over the image's. The ratio says how many times *smaller* the "
            "code is, so divide the image's size by the code's.",
            "A ratio above 1 means the code is smaller than the image: image size / code size.",
        ),
        Mistake(
            PIXELS / (3 * 3),
            "that counts one number per position of the code, but each of its 3 × 3 positions holds 64 numbers, "
            "one per channel.",
        ),
        Mistake(PIXELS / 64, "that counts the channels only: each of the 64 channels is a 3 × 3 feature map."),
        Mistake(
            PIXELS / (7 * 7 * 64),
            "7 × 7 × 64 is the shape before the last max pooling: the encoder ends with one more pooling.",
        ),
        Mistake(
            PIXELS / (4 * 4 * 64),
            "a 2×2 max pooling drops an odd last row and column: a 7×7 map becomes 3×3, not 4×4.",
        ),
        Mistake(
            PIXELS - DECK_CODE, "that is the difference between the two sizes; the ratio divides one by the other."
        ),
        Mistake(
            PIXELS / 32,
            "that is the ratio of the dense autoencoder (a code of 32 numbers); this question is about the "
            "convolutional encoder.",
        ),
    ]
    hints = (
        "The code is what the encoder outputs: a feature map shaped (height, width, channels) holds "
        "height × width × channels numbers.",
        "The image has 28 × 28 = 784 pixels; the encoder's output shape is printed in the section on the "
        "convolutional autoencoder. The ratio is the image's size divided by the code's size.",
    )
    solution_code = """# The encoder's output is 3 × 3 × 64: three 2×2 poolings take 28 to 14, 7, then 3.
ratio = (28 * 28) / (3 * 3 * 64)
q1.check(ratio)"""
    blank_message = "Replace `____` with the ratio (arithmetic is fine), then run the cell again."
    fallback = (
        "that is not it: count the numbers in the encoder's output (height × width × channels), then divide "
        "the image's pixels by that count."
    )
    correct_note = (
        "the code holds 576 numbers, only a little fewer than the 784 pixels. What forces this code to be "
        "useful is less its size than its shape: 3 × 3 positions cannot say exactly where each stroke is."
    )


# Exercise 2: add_noise(images, std).


class RandomFunctionProblem(FunctionProblem):
    """A learner's function whose results are random: checked by statistics, not by equality.

    `cases` holds (name, arguments) pairs; the learner's function is called once per case and
    `requirements` lists (test, message, hint) where `test(results, inputs)` gets dicts keyed by the
    case names and returns True when the requirement holds. The first failing requirement is
    reported, so order them from the most basic (shape) to the finest (the noise's distribution).
    """

    cases = ()
    requirements = ()

    def convert(self, result, call):
        if result is None:
            raise Incorrect(f"{call} returned None: did you forget `return`?")
        if hasattr(result, "numpy"):
            result = result.numpy()
        if not isinstance(result, np.ndarray) or result.dtype.kind not in "iuf":
            raise wrong_type(result, f"an array of numbers (what {call} returns)")
        return result

    def check_answer(self, function):
        require_function(function, self.function_name)
        inputs, results = {}, {}
        for name, args in self.cases:
            kept = [np.copy(arg) if isinstance(arg, np.ndarray) else arg for arg in args]
            call = f"`{self.function_name}({name})`"
            results[name] = self.convert(call_learner(function, *args, call=call), call)
            inputs[name] = (kept, args)
        for test, message, hint in self.requirements:
            if not test(results, inputs):
                raise Incorrect(message, hint)
        return self.correct_note or None


def _noise(results, inputs, name):
    """Return what the learner's function added to the images of case `name`."""
    (images, _), _ = inputs[name]
    return results[name].astype("float64") - images


def _grey(count, value=0.5):
    return np.full((count, 28, 28), value, dtype="float32")


STDS = (0.1, 0.2)
GREY = tuple(f"grey images, std={std}" for std in STDS)
BLACK, WHITE = "black images, std=0.3", "white images, std=0.3"


class AddNoise(RandomFunctionProblem):
    title = "Add Gaussian noise to images, then clip to [0, 1]"
    function_name = "add_noise"
    # Mid-grey images: the noise is never clipped there (0.5 is 5 standard deviations of 0.1 away
    # from 0 and 1), so its mean, spread and shape can be measured. Black and white images: most
    # of the noise pushes the pixels below 0 or above 1, where clipping must catch it.
    cases = (
        (GREY[0], (_grey(100), STDS[0])),
        (GREY[1], (_grey(100), STDS[1])),
        (BLACK, (_grey(20, 0.0), 0.3)),
        (WHITE, (_grey(20, 1.0), 0.3)),
    )
    requirements = (
        (
            lambda r, i: all(r[name].shape == i[name][0][0].shape for name in r),
            "the result does not have the shape of the images it was given: add one random number per pixel "
            "and return the whole batch.",
            "`rng.normal(0, std, size=images.shape)` draws one number per pixel.",
        ),
        (
            lambda r, i: all(np.array_equal(i[name][0][0], i[name][1][0]) for name in r),
            "your function changed the images it was given: return a new array (`images + noise`) instead of "
            "adding the noise in place (`images += noise`).",
            None,
        ),
        (
            lambda r, i: all(np.std(_noise(r, i, name)) > 1e-3 for name in GREY),
            "the images come back unchanged: no noise was added.",
            None,
        ),
        (
            lambda r, i: all(r[name].min() >= 0 and r[name].max() <= 1 for name in r),
            "some pixels lie outside [0, 1]: clip the noisy images, for example with `np.clip(..., 0, 1)`.",
            "Noise pushes black pixels below 0 and white pixels above 1; `np.clip(noisy, 0, 1)` puts them back.",
        ),
        (
            lambda r, i: all(np.std(_noise(r, i, name)[0]) > 1e-3 for name in GREY),
            "every pixel of an image got the same noise: draw one random number per pixel, not one per image.",
            "`size=images.shape` gives one random number per pixel.",
        ),
        (
            lambda r, i: abs(np.mean(_noise(r, i, GREY[1]))) < 0.01,
            "on average your noise makes the images brighter (or darker): Gaussian noise has a mean of 0. "
            "`rng.random` draws between 0 and 1; `rng.normal(0, std, ...)` draws around 0.",
            "Draw the noise with `rng.normal(loc=0, scale=std, size=images.shape)`.",
        ),
        (
            lambda r, i: np.mean(r[BLACK] > 0) > 0.25 and np.mean(r[WHITE] < 1) > 0.25,
            "black images stay black (or white ones white): *add* the noise to the pixels (do not multiply "
            "them by it), then clip the sum.",
            None,
        ),
        (
            lambda r, i: not np.isclose(np.std(_noise(r, i, GREY[1])), 0.04, rtol=0.1),
            "the noise's standard deviation is std² (0.04 for std=0.2): `scale` is the standard deviation "
            "itself, not the variance.",
            None,
        ),
        (
            lambda r, i: all(
                np.isclose(np.std(_noise(r, i, name)), std, rtol=0.05) for name, std in zip(GREY, STDS, strict=True)
            ),
            "the noise does not have the standard deviation `std` it was asked for (the checker tries std=0.1 "
            "and std=0.2): use the `std` argument as the normal distribution's scale.",
            "`rng.normal(0, std, size=images.shape)`: the second argument is the standard deviation.",
        ),
        (
            lambda r, i: 0.03 < np.mean(np.abs(_noise(r, i, GREY[0])) > 2 * STDS[0]) < 0.065,
            "the noise has the right spread but not the bell shape of a Gaussian (about 5 % of it should lie "
            "beyond two standard deviations): draw it with `rng.normal`, not `rng.uniform`.",
            None,
        ),
    )
    hints = (
        "Three steps: draw one number per pixel from a normal distribution with mean 0 and standard deviation "
        "`std`, add it to the images, then clip the result to [0, 1].",
        "`rng = np.random.default_rng()` makes a generator; `rng.normal(0, std, size=images.shape)` draws the "
        "noise; `np.clip(x, 0, 1)` clips.",
    )
    solution_code = """def add_noise(images, std):
    \"\"\"Return a copy of `images` (floats in [0, 1]) with Gaussian noise added, clipped to [0, 1].\"\"\"
    rng = np.random.default_rng()
    noisy = images + rng.normal(0, std, size=images.shape)
    return np.clip(noisy, 0, 1)


q2.check(add_noise)"""
    blank_message = "Replace `____` in `add_noise` with your code, then run the cell again."
    correct_note = (
        "zero-mean Gaussian noise with the right standard deviation, clipped to the range of a pixel. "
        "This is how the denoising autoencoder's training inputs were made."
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


def _uses_relu(layer, found):
    """Return True if a convolution applies ReLU itself or through the ReLU layer that follows it."""
    from keras import layers

    if activation_name(layer) == "relu":
        return True
    after = found[found.index(layer) + 1 :]
    for other in after:
        if isinstance(other, layers.ReLU) or (
            isinstance(other, layers.Activation) and activation_name(other) == "relu"
        ):
            return True
        if not isinstance(other, (layers.BatchNormalization, layers.Dropout)):
            return False
    return False


def check_image_output(model, name):
    """Run `model` on random uint8 digits; raise Incorrect unless it returns (n, 28, 28) values in [0, 1]."""
    digits = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    outputs = run_model(model, digits, name)
    if outputs.shape != (4, 28, 28):
        raise Incorrect(
            f"`{name}` turns a batch of 4 digits into shape {outputs.shape}; an autoencoder returns images "
            "shaped like its inputs, (4, 28, 28): end with `layers.Reshape((28, 28))`."
        )
    if np.isnan(outputs).any() or outputs.min() < 0 or outputs.max() > 1:
        raise Incorrect(
            f'the pixels `{name}` returns are not all in [0, 1]: give the last layer `activation="sigmoid"`.'
        )
    return outputs


def check_takes_raw_digits(model, name):
    """Raise Incorrect unless `model` takes (28, 28) digits and rescales them inside."""
    from keras import layers

    shape = tuple(model.inputs[0].shape[1:])
    if shape != (28, 28):
        raise Incorrect(
            f"`{name}` takes inputs shaped {shape}; it should take the digits exactly as `load_mnist()` returns "
            "them, shaped (28, 28): start with `keras.Input(shape=(28, 28))` and reshape *inside* the model."
        )
    scales = [float(np.ravel(layer.scale)[0]) for layer in layers_of(model) if isinstance(layer, layers.Rescaling)]
    if not any(np.isclose(scale, 1 / 255) for scale in scales):
        raise Incorrect(
            f"`{name}` does not rescale the pixels from 0-255 to 0-1: add `layers.Rescaling(1 / 255)` after the input."
        )


class BuildConvAutoencoder(Problem):
    title = "Build a convolutional autoencoder with a 7 × 7 × 8 code"
    hints = (
        "Start like `denoiser`: `keras.Input(shape=(28, 28))`, `layers.Rescaling(1 / 255)`, "
        "`layers.Reshape((28, 28, 1))`. Each `MaxPooling2D(2)` halves the height and width: 28 → 14 → 7.",
        'Encoder: `layers.Conv2D(16, 3, padding="same", activation="relu")`, `layers.MaxPooling2D(2)`, then the '
        "same with 8 filters. Decoder: `layers.UpSampling2D(2)` and a ReLU `Conv2D` twice (7 → 14 → 28), then "
        '`layers.Conv2D(1, 3, padding="same", activation="sigmoid")` and `layers.Reshape((28, 28))`.',
    )
    solution_code = """my_autoencoder = keras.Sequential(
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
q3.check(my_autoencoder)"""
    blank_message = "Replace `____` with your model (`keras.Sequential([...])`), then run the cell again."

    def check_answer(self, model):
        from keras import layers

        name = "my_autoencoder"
        require_model(model, name)
        check_takes_raw_digits(model, name)
        found = [layer for layer in layers_of(model) if not hasattr(layer, "layers")]
        if any(isinstance(layer, (layers.Dense, layers.Flatten)) for layer in found):
            raise Incorrect("this autoencoder should be convolutional from end to end: no `Flatten` or `Dense` layers.")
        convs = [layer for layer in found if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))]
        shapes = [_shape_of(layer) for layer in found]
        maps = [i for i, shape in enumerate(shapes) if shape is not None and len(shape) == 3]
        code_at = min(maps, key=lambda i: (shapes[i][0] * shapes[i][1], i), default=None)
        if code_at is None or not any(isinstance(layer, layers.MaxPooling2D) for layer in found[: code_at + 1]):
            raise Incorrect("the encoder needs `layers.MaxPooling2D(2)` after each convolution to shrink the image.")
        code = shapes[code_at]
        if code[:2] != (7, 7):
            raise Incorrect(
                f"the code (the smallest feature maps) is {code[0]} × {code[1]} pixels; it should be 7 × 7: "
                "one 2×2 max pooling after each of the encoder's two convolutions takes 28 to 14, then 7."
            )
        filters = [layer.filters for layer in found[:code_at] if isinstance(layer, layers.Conv2D)]
        if filters != [16, 8] or code[2] != 8:
            raise Incorrect(
                f"the encoder's convolutions have {filters or 'no'} filters; the task asks for two, with 16 then 8 "
                "filters, so that the code is 7 × 7 × 8."
            )
        decoder = found[code_at + 1 :]
        if not any(isinstance(layer, (layers.UpSampling2D, layers.Conv2DTranspose)) for layer in decoder):
            raise Incorrect(
                "the decoder must grow the code back to 28 × 28: use `layers.UpSampling2D(2)` (or "
                "`layers.Conv2DTranspose` with `strides=2`)."
            )
        not_relu = [layer.name for layer in convs[:-1] if not _uses_relu(layer, found)]
        if not_relu:
            raise Incorrect(
                f'the hidden convolutions use ReLU, as the task says: `{not_relu[0]}` needs `activation="relu"`.'
            )
        if convs[-1].filters != 1:
            raise Incorrect(
                f"the last convolution has {convs[-1].filters} filters; a grey image has one channel: use 1 filter."
            )
        with_activation = [layer for layer in found if activation_name(layer) not in (None, "linear")]
        if not with_activation or activation_name(with_activation[-1]) != "sigmoid":
            raise Incorrect('the last convolution needs `activation="sigmoid"`, so that every pixel lies in [0, 1].')
        check_image_output(model, name)
        return (
            f"{model.count_params():,} parameters, and a code of 7 × 7 × 8 = 392 numbers, half the pixels. "
            "Train it like the denoiser to see how much the smaller code costs."
        )


# Exercise 4: a dense autoencoder with a 4-number code, trained and measured.


class MeasuredError(NumberProblem):
    """The reconstruction error the learner measured, compared with the one the checker measures."""

    what = "the mean squared error"
    tolerance = 0.01
    fallback = (
        "that is not the mean squared error of `small_autoencoder` on these digits: compare its reconstructions "
        "with the digits scaled to [0, 1], square the differences and average them over all pixels."
    )

    def __init__(self, measured):
        super().__init__(4)
        self.expected = measured
        self.mistakes = [
            Mistake(
                np.sqrt(measured),
                "that is the square root of the mean squared error (the RMSE): leave out the square root.",
            ),
            Mistake(
                measured * 255**2,
                "that error is measured in pixel values 0-255: divide the digits by 255 before comparing, so "
                "that pixels lie in [0, 1] like the reconstructions.",
            ),
            Mistake(
                measured * PIXELS,
                "that is the error summed over the 784 pixels of a digit: take the mean over the pixels too.",
            ),
        ]

    def other_checks(self, value):
        if abs(value - self.expected) <= 0.2 * self.expected:
            raise Incorrect(
                "close, but not the error of this model on these digits: compute it from "
                "`small_autoencoder.predict(x_test)` with at least two significant digits, after the training."
            )


class SmallBottleneck(Problem):
    title = "Shrink the bottleneck to 4 numbers and measure the cost"
    hints = (
        "Copy the cell that builds `dense_autoencoder` and change the code layer to `layers.Dense(4, ...)`. "
        "Compile and fit it as before, for 5 epochs.",
        "The error: `reconstructions = small_autoencoder.predict(x_test, verbose=0)`, then "
        "`np.mean((reconstructions - x_test / 255) ** 2)`.",
    )
    solution_code = """small_autoencoder = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        layers.Rescaling(1 / 255),
        layers.Flatten(),
        layers.Dense(4, activation="relu"),  # The code: 4 numbers instead of 32.
        layers.Dense(28 * 28, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ]
)
small_autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy")
small_autoencoder.fit(x_train, x_train / 255, epochs=5, batch_size=32, verbose=0)
reconstructions = small_autoencoder.predict(x_test, verbose=0)
small_mse = np.mean((reconstructions - x_test / 255) ** 2)
q4.check(small_autoencoder, x_test, small_mse)"""
    blank_message = (
        "Replace each `____` (the model, then the error you measured), run the cells again, and pass "
        "`q4.check(small_autoencoder, x_test, small_mse)`."
    )

    def check_answer(self, model, digits, answer):
        name = "small_autoencoder"
        require_model(model, name)
        check_takes_raw_digits(model, name)
        digits = self._digits(digits)
        code = min((size, layer.name) for layer in layers_of(model) if (size := _sizes(layer)) is not None)
        if code[0] == 32:
            raise Incorrect(
                "the narrowest layer still holds 32 numbers, like `dense_autoencoder`: shrink the code to 4.",
                "Only the code layer changes: `layers.Dense(4, ...)`.",
            )
        if code[0] != 4:
            raise Incorrect(
                f"the narrowest layer (`{code[1]}`) holds {code[0]:,} numbers; the task asks for a code of 4."
            )
        check_image_output(model, name)
        reconstructions = run_model(model, digits, name)
        clean = digits.astype("float64") / 255
        measured = float(np.mean((reconstructions - clean) ** 2))
        average_digit = float(np.mean((clean.mean(axis=0) - clean) ** 2))
        if measured >= average_digit:
            raise Incorrect(
                f"`{name}` does no better than drawing the average digit every time: train it (5 epochs of `fit`) "
                "before measuring its error.",
                "Compile it like `dense_autoencoder`, then `small_autoencoder.fit(x_train, x_train / 255, ...)`.",
            )
        MeasuredError(measured).check_answer(answer)
        return (
            f"with 4 numbers per digit the error is {format_number(measured)} per pixel. Compare it with the "
            "32-number code's, and look at the reconstructions: which digits survive such a narrow bottleneck?"
        )

    @staticmethod
    def _digits(digits):
        if contains_blank(digits):
            raise NotAttempted
        if not hasattr(digits, "shape") or np.ndim(digits) != 3 or tuple(np.shape(digits)[1:]) != (28, 28):
            raise wrong_type(digits, "the test digits as `load_mnist()` returns them, shaped (n, 28, 28),")
        digits = np.asarray(digits)
        if digits.dtype != np.uint8:
            raise Incorrect(
                "pass the test digits exactly as `load_mnist()` returns them (uint8, 0-255), `x_test`: the model "
                "rescales them itself."
            )
        return digits


q1 = ConvCodeRatio(1)
q2 = AddNoise(2)
q3 = BuildConvAutoencoder(3)
q4 = SmallBottleneck(4)
