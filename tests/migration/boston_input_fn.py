"""The TF 1.1-1.3 "Building Input Functions with tf.contrib.learn" tutorial (boston):
one real_valued_column per feature, a DNNRegressor, an input_fn that returns a dict of
tf.constant tensors (the integer-valued columns as int64, the others float64) and the
labels, fit / evaluate(...)["loss"] / predict. The tutorial read its CSVs with pandas;
this one takes the same data from tf.contrib.learn.datasets.load_boston(). Run with --tf1.

Run twice on one output_dir: the second run continues from the first run's checkpoint.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import itertools
import json

import numpy as np
import tensorflow as tf

tf.logging.set_verbosity(tf.logging.INFO)

COLUMNS = ["crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax",
           "ptratio", "b", "lstat", "medv"]
FEATURES = ["crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax",
            "ptratio", "b", "lstat"]
INTEGER_FEATURES = ["chas", "rad", "tax"]
LABEL = "medv"


def as_columns(data, target):
    data_set = {}
    for i, k in enumerate(FEATURES):
        values = data[:, i]
        data_set[k] = values.astype(np.int64) if k in INTEGER_FEATURES else values
    data_set[LABEL] = target
    return data_set


def input_fn(data_set):
    feature_cols = {k: tf.constant(data_set[k]) for k in FEATURES}
    labels = tf.constant(data_set[LABEL])
    return feature_cols, labels


def main(unused_argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()

    # Load datasets
    boston = tf.contrib.learn.datasets.load_boston()
    training_set = as_columns(boston.data[:400], boston.target[:400])
    test_set = as_columns(boston.data[400:], boston.target[400:])
    prediction_set = as_columns(boston.data[400:406], boston.target[400:406])

    # Feature cols
    feature_cols = [tf.contrib.layers.real_valued_column(k) for k in FEATURES]

    # Build 2 layer fully connected DNN with 10, 10 units respectively.
    regressor = tf.contrib.learn.DNNRegressor(feature_columns=feature_cols,
                                              hidden_units=[10, 10],
                                              model_dir=args.output_dir)

    # Fit
    regressor.fit(input_fn=lambda: input_fn(training_set), steps=40)

    # Score accuracy
    ev = regressor.evaluate(input_fn=lambda: input_fn(test_set), steps=1)
    loss_score = ev["loss"]
    print("Loss: {0:f}".format(loss_score))

    # Print out predictions
    y = regressor.predict(input_fn=lambda: input_fn(prediction_set))
    # .predict() returns an iterator; convert to a list and print predictions
    predictions = list(itertools.islice(y, 6))
    print("Predictions: {}".format(str(predictions)))

    test_predictions = list(regressor.predict_scores(input_fn=lambda: input_fn(test_set)))
    print("RESULT " + json.dumps({
        "global_step": int(ev["global_step"]),
        "loss": float(loss_score),
        "eval_keys": sorted(ev),
        "predictions": [float(p) for p in predictions],
        "test_predictions": [float(p) for p in test_predictions],
        "test_targets": [float(t) for t in test_set[LABEL]],
        "input_layer_rows": int(regressor.get_variable_value(
            "dnn/hiddenlayer_0/weights").shape[0]),
    }))


if __name__ == "__main__":
    tf.app.run()
