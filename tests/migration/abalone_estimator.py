"""Abalone-style contrib Estimator (the TF 1.x "Creating Estimators in tf.contrib.learn"
tutorial shape): a model_fn on tf.contrib.layers.relu / linear, tf.contrib.losses and
tf.contrib.layers.optimize_loss, fit / evaluate / predict with x / y and with input_fn,
and evaluate with a metrics dict of streaming metrics (run with --tf1)."""
import argparse
import json
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn.estimators import model_fn as model_fn_lib

tf.logging.set_verbosity(tf.logging.ERROR)

LEARNING_RATE = 0.01


def write_abalone_csv(path, rows, seed):
    # Seven shell measurements, then the number of rings (the age) as an integer.
    rng = np.random.RandomState(seed)
    features = rng.uniform(0.1, 1.0, size=(rows, 7))
    rings = np.round(3 + 10 * features[:, 0] + 4 * features[:, 3] + rng.normal(0, 0.5, rows))
    with open(path, "w") as f:
        for row, target in zip(features, rings):
            f.write(",".join("%.4f" % v for v in row) + ",%d\n" % target)


def model_fn(features, targets, mode, params):
    """Model function for Estimator."""
    first_hidden_layer = tf.contrib.layers.relu(features, 10)
    second_hidden_layer = tf.contrib.layers.relu(first_hidden_layer, 10)
    output_layer = tf.contrib.layers.linear(second_hidden_layer, 1)
    predictions = tf.reshape(output_layer, [-1])
    predictions_dict = {"ages": predictions}
    loss = tf.contrib.losses.mean_squared_error(predictions, targets)
    eval_metric_ops = {
        "rmse": tf.contrib.metrics.streaming_root_mean_squared_error(
            tf.cast(targets, tf.float32), predictions),
        "pearson": tf.contrib.metrics.streaming_pearson_correlation(
            predictions, tf.cast(targets, tf.float32)),
    }
    train_op = tf.contrib.layers.optimize_loss(
        loss=loss, global_step=tf.contrib.framework.get_global_step(),
        learning_rate=params["learning_rate"], optimizer="SGD")
    return model_fn_lib.ModelFnOps(mode=mode, predictions=predictions_dict, loss=loss,
                                   train_op=train_op, eval_metric_ops=eval_metric_ops)


def tuple_model_fn(features, targets):
    """The older tutorial shape: (predictions, loss, train_op), one hidden layer."""
    hidden = tf.contrib.layers.relu(features["x"], 10)
    predictions = tf.reshape(tf.contrib.layers.linear(hidden, 1), [-1])
    loss = tf.contrib.losses.absolute_difference(predictions, tf.to_float(targets))
    train_op = tf.contrib.layers.optimize_loss(
        loss, tf.contrib.framework.get_global_step(), learning_rate=LEARNING_RATE,
        optimizer="Adagrad")
    return predictions, loss, train_op


def float_labels(metric):
    # The rings are integers; the streaming metrics want the predictions' dtype.
    def metric_fn(predictions, labels):
        return metric(predictions, tf.to_float(labels))
    return metric_fn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.output_dir)
    train_csv = os.path.join(args.output_dir, "abalone_train.csv")
    test_csv = os.path.join(args.output_dir, "abalone_test.csv")
    write_abalone_csv(train_csv, 400, 0)
    write_abalone_csv(test_csv, 100, 1)

    training_set = tf.contrib.learn.datasets.base.load_csv_without_header(
        filename=train_csv, target_dtype=np.int, features_dtype=np.float32)
    test_set = tf.contrib.learn.datasets.base.load_csv_without_header(
        filename=test_csv, target_dtype=np.int, features_dtype=np.float32)

    model_params = {"learning_rate": LEARNING_RATE}
    nn = tf.contrib.learn.Estimator(model_fn=model_fn, params=model_params,
                                    model_dir=os.path.join(args.output_dir, "abalone"))
    untrained = nn.fit(x=training_set.data, y=training_set.target, steps=1)
    first = nn.evaluate(x=test_set.data, y=test_set.target, steps=1)
    nn.fit(x=training_set.data, y=training_set.target, steps=60)
    ev = nn.evaluate(x=test_set.data, y=test_set.target, steps=1)
    extra = nn.evaluate(
        x=test_set.data, y=test_set.target, steps=1, name="extra",
        metrics={("mae", "ages"): float_labels(tf.contrib.metrics.streaming_mean_absolute_error),
                 ("covariance", "ages"): float_labels(tf.contrib.metrics.streaming_covariance)})
    ages = [p["ages"] for p in nn.predict(x=test_set.data, as_iterable=True)]

    def input_fn(data_set):
        def fn():
            features = {"x": tf.constant(data_set.data)}
            return features, tf.constant(data_set.target)
        return fn

    older = tf.contrib.learn.Estimator(model_fn=tuple_model_fn,
                                       model_dir=os.path.join(args.output_dir, "tuple"))
    older.fit(input_fn=input_fn(training_set), steps=20)
    older_ev = older.evaluate(
        input_fn=input_fn(test_set), steps=1,
        metrics={"rmse": float_labels(tf.contrib.metrics.streaming_root_mean_squared_error)})
    older_predictions = list(older.predict(input_fn=input_fn(test_set), as_iterable=True))

    print("RESULT " + json.dumps({
        "fit_returns_estimator": untrained is nn,
        "first_loss": float(first["loss"]),
        "loss": float(ev["loss"]),
        "rmse": float(ev["rmse"]),
        "pearson": float(ev["pearson"]),
        "global_step": int(ev["global_step"]),
        "extra_keys": sorted(extra),
        "extra_mae": float(extra["mae"]),
        "ages": [float(a) for a in ages],
        "test_targets": [float(t) for t in test_set.target],
        "older_keys": sorted(older_ev),
        "older_global_step": int(older_ev["global_step"]),
        "older_predictions": len(older_predictions),
    }))


if __name__ == "__main__":
    main()
