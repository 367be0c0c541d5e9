"""CPU time of the canned contrib estimators' fit against TF 2.15's own canned estimators.

For each network, compat_learn's ``tf.contrib.learn`` estimator and TF 2.15's
``tf.compat.v1.estimator`` estimator are trained for the same steps, on the same data,
with the same network, optimizer and learning rate (both sides' defaults, which agree),
each in a fresh model_dir, in interleaved rounds (the order alternates every round):

* ``DNNClassifier``: hidden_units [32, 16], 3 classes, Adagrad at 0.05;
* ``LinearRegressor``: Ftrl at min(0.2, 1/sqrt(columns)).

Two inputs:

* ``numpy``: ``fit(x=x, y=y, batch_size=32)`` (r1.15's data feeder, the column named
  ``""``) against ``train(numpy_input_fn({"x": x}, y, batch_size=32))``, TF 2.15's
  nearest way to train on arrays;
* ``input_fn``: both on one input_fn (a shuffled, repeated ``tf.data`` pipeline of
  batches of 32, returned as tensors, as r1.15's input_fns returned them).

Prints the median CPU seconds (process time: all threads) of each, and the median of
the per-round ratio compat_learn / tf.compat.v1 (target <= 1.05).

    python benchmarks/bench_canned.py            # 5 rounds, 500 steps (about 2 minutes)
    python benchmarks/bench_canned.py --quick    # 3 rounds, 200 steps
    python benchmarks/bench_canned.py --steps 3000   # longer fits: per-step cost dominates
    python benchmarks/bench_canned.py --profile DNNClassifier/numpy   # cProfile one fit
"""

import argparse
import cProfile
import logging
import os
import pstats
import shutil
import statistics
import tempfile
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from compat_learn import _tf
from compat_learn.estimators import dnn, linear
from compat_learn.layers import feature_column as fc

tf = _tf.tf
BATCH = 32
FEATURES = 8
ROWS = 1000
NETWORKS = ("DNNClassifier", "LinearRegressor")
INPUTS = ("numpy", "input_fn")
SIDES = ("compat_learn", "tf.compat.v1")


def _data():
    rng = np.random.RandomState(0)
    x = rng.rand(ROWS, FEATURES).astype(np.float32)
    score = x @ rng.randn(FEATURES).astype(np.float32)
    labels = {"DNNClassifier": np.digitize(score, np.percentile(score, [33, 66])).astype(
        np.int64), "LinearRegressor": score.astype(np.float32)}
    return x, labels


def _dataset_input_fn(x, y):
    def input_fn():
        dataset = tf.compat.v1.data.Dataset.from_tensor_slices(({"x": x}, y))
        dataset = dataset.shuffle(ROWS, seed=0).repeat().batch(BATCH)
        return tf.compat.v1.data.make_one_shot_iterator(dataset).get_next()
    return input_fn


def _contrib(network, column_name, model_dir):
    columns = [fc.real_valued_column(column_name, dimension=FEATURES)]
    if network == "DNNClassifier":
        return dnn.DNNClassifier(hidden_units=[32, 16], feature_columns=columns, n_classes=3,
                                 model_dir=model_dir)
    return linear.LinearRegressor(feature_columns=columns, model_dir=model_dir)


def _core(network, model_dir):
    columns = [tf.feature_column.numeric_column("x", shape=[FEATURES])]
    if network == "DNNClassifier":
        return tf.compat.v1.estimator.DNNClassifier(
            hidden_units=[32, 16], feature_columns=columns, n_classes=3, model_dir=model_dir)
    return tf.compat.v1.estimator.LinearRegressor(feature_columns=columns,
                                                  model_dir=model_dir)


def fit(network, inputs, side, x, y, steps):
    """Trains one fresh model; returns its CPU seconds."""
    model_dir = tempfile.mkdtemp()
    try:
        start = time.process_time()
        if side == "compat_learn":
            if inputs == "numpy":
                _contrib(network, "", model_dir).fit(x=x, y=y, batch_size=BATCH, steps=steps)
            else:
                _contrib(network, "x", model_dir).fit(input_fn=_dataset_input_fn(x, y),
                                                      steps=steps)
        else:
            if inputs == "numpy":
                input_fn = tf.compat.v1.estimator.inputs.numpy_input_fn(
                    {"x": x}, y, batch_size=BATCH, shuffle=True, num_epochs=None)
            else:
                input_fn = _dataset_input_fn(x, y)
            _core(network, model_dir).train(input_fn, steps=steps)
        return time.process_time() - start
    finally:
        shutil.rmtree(model_dir, ignore_errors=True)


def profile(case, x, labels, steps):
    network, inputs = case.split("/")
    for side in SIDES:
        profiler = cProfile.Profile()
        profiler.enable()
        seconds = fit(network, inputs, side, x, labels[network], steps)
        profiler.disable()
        print(f"\n=== {case} [{side}]: {seconds:.2f} CPU s; top 25 by cumulative time")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--steps", type=int, help="steps per fit (default 500, --quick 200)")
    parser.add_argument("--profile", metavar="NETWORK/INPUT",
                        help="cProfile one fit of each side, e.g. DNNClassifier/numpy")
    args = parser.parse_args()
    rounds, steps = (3, 200) if args.quick else (5, 500)
    steps = args.steps or steps
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    x, labels = _data()
    for network in NETWORKS:  # warm-up: imports, first graphs of each kind
        for side in SIDES:
            fit(network, "input_fn", side, x, labels[network], 5)
    if args.profile:
        profile(args.profile, x, labels, steps)
        return
    cases = [(network, inputs) for network in NETWORKS for inputs in INPUTS]
    times = {(case, side): [] for case in cases for side in SIDES}
    ratios = {case: [] for case in cases}
    for i in range(rounds):
        for case in cases:
            order = SIDES if i % 2 == 0 else SIDES[::-1]
            measured = {side: fit(*case, side, x, labels[case[0]], steps) for side in order}
            for side in SIDES:
                times[case, side].append(measured[side])
            ratios[case].append(measured["compat_learn"] / measured["tf.compat.v1"])
    print(f"{rounds} rounds, {steps} steps of batch {BATCH}, {FEATURES} features, "
          f"TensorFlow {tf.__version__}")
    print(f"{'network / input':<28}{'compat_learn s':>16}{'tf.compat.v1 s':>16}"
          f"{'ratio (median)':>16}{'ratio range':>16}")
    for case in cases:
        low, high = min(ratios[case]), max(ratios[case])
        print(f"{'/'.join(case):<28}{statistics.median(times[case, 'compat_learn']):>16.2f}"
              f"{statistics.median(times[case, 'tf.compat.v1']):>16.2f}"
              f"{statistics.median(ratios[case]):>16.2f}{f'{low:.2f}-{high:.2f}':>16}")


if __name__ == "__main__":
    main()
