"""CPU time of ``Estimator.fit(x=, y=)`` (r1.15's data feeder) against TF 2.15's own input.

Three ways to train the same tiny linear model_fn for the same steps on the same numpy
data, in interleaved rounds (the order rotates every round), each in a fresh model_dir:

* ``feeder``: ``compat_learn.Estimator.fit(x=x, y=y, batch_size=...)``: placeholders fed
  by ``learn_io.data_feeder`` through a ``FeedFnHook`` (r1.15's path);
* ``numpy_input_fn``: the same contrib Estimator on
  ``tf.compat.v1.estimator.inputs.numpy_input_fn`` (queue runners);
* ``tf.compat.v1``: ``tf.compat.v1.estimator.Estimator.train`` on that numpy_input_fn,
  TF 2.15 without compat_learn.

Prints the median CPU seconds (process time: all threads) and the median per-round
ratio to ``tf.compat.v1``.

    python benchmarks/bench_data_feeder.py            # 5 rounds, 1000 steps
    python benchmarks/bench_data_feeder.py --quick    # 3 rounds, 300 steps
"""

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

import compat_learn
from compat_learn import _tf
from compat_learn.estimators.model_fn import ModelFnOps

tf = _tf.tf
BATCH = 32
FEATURES = 8


def _graph(features, labels):
    w = tf.compat.v1.get_variable("w", [FEATURES, 1])
    predictions = tf.matmul(features, w)[:, 0]
    loss = tf.reduce_mean(tf.square(predictions - labels))
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.01).minimize(
        loss, global_step=tf.compat.v1.train.get_global_step())
    return predictions, loss, train_op


def contrib_model_fn(features, labels, mode):
    predictions, loss, train_op = _graph(features, labels)
    return ModelFnOps(mode=mode, predictions=predictions, loss=loss, train_op=train_op)


def core_model_fn(features, labels, mode):
    predictions, loss, train_op = _graph(features, labels)
    return tf.estimator.EstimatorSpec(mode, predictions=predictions, loss=loss,
                                      train_op=train_op)


def _numpy_input_fn(x, y):
    return tf.compat.v1.estimator.inputs.numpy_input_fn(
        x, y, batch_size=BATCH, shuffle=True, num_epochs=None)


def run(kind, x, y, steps):
    model_dir = tempfile.mkdtemp()
    try:
        start = time.process_time()
        if kind == "feeder":
            compat_learn.Estimator(model_fn=contrib_model_fn, model_dir=model_dir).fit(
                x=x, y=y, batch_size=BATCH, steps=steps)
        elif kind == "numpy_input_fn":
            compat_learn.Estimator(model_fn=contrib_model_fn, model_dir=model_dir).fit(
                input_fn=_numpy_input_fn(x, y), steps=steps)
        else:
            tf.compat.v1.estimator.Estimator(core_model_fn, model_dir=model_dir).train(
                _numpy_input_fn(x, y), steps=steps)
        return time.process_time() - start
    finally:
        shutil.rmtree(model_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds, steps = (3, 300) if args.quick else (5, 1000)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    x = rng.rand(1000, FEATURES).astype(np.float32)
    y = x.sum(1).astype(np.float32)
    kinds = ["feeder", "numpy_input_fn", "tf.compat.v1"]
    run("feeder", x, y, 10)  # warm-up: imports, first graph
    times = {kind: [] for kind in kinds}
    ratios = {kind: [] for kind in kinds}
    for i in range(rounds):
        order = kinds[i % 3:] + kinds[:i % 3]
        measured = {kind: run(kind, x, y, steps) for kind in order}
        for kind in kinds:
            times[kind].append(measured[kind])
            ratios[kind].append(measured[kind] / measured["tf.compat.v1"])
    print(f"{rounds} rounds, {steps} steps of batch {BATCH}, {FEATURES} features")
    print(f"{'input':<16}{'median CPU s':>14}{'ratio to tf.compat.v1':>24}")
    for kind in kinds:
        print(f"{kind:<16}{statistics.median(times[kind]):>14.2f}"
              f"{statistics.median(ratios[kind]):>24.2f}")


if __name__ == "__main__":
    main()
