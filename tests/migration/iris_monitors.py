"""The TF 1.1-1.4 "Logging and Monitoring Basics with tf.contrib.learn" tutorial (iris):
tf.logging at INFO, a ValidationMonitor with MetricSpec streaming metrics keyed on the
"classes" prediction, early stopping on the loss, RunConfig(save_checkpoints_secs=1).

The monitor validates on a relabelled copy of the test set (every label shifted to the
next species), so the better the model fits, the worse the validation loss gets:
early stopping must end fit long before `steps`. Run with --tf1.

Run twice on one output_dir: the second run continues from the first run's checkpoint.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import json

import numpy as np
import tensorflow as tf

tf.logging.set_verbosity(tf.logging.INFO)


def make_iris(n, seed):
    rng = np.random.RandomState(seed)
    centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    target = np.arange(n) % 3
    data = (centers[target] + rng.normal(0, 0.15, (n, 4))).astype(np.float32)
    return data, target.astype(np.int64)


def main(unused_argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()

    training_data, training_target = make_iris(120, seed=0)
    test_data, test_target = make_iris(30, seed=1)
    shifted_target = (test_target + 1) % 3

    # Specify that all features have real-value data
    feature_columns = [tf.contrib.layers.real_valued_column("", dimension=4)]

    validation_metrics = {
        "accuracy":
            tf.contrib.learn.MetricSpec(
                metric_fn=tf.contrib.metrics.streaming_accuracy,
                prediction_key=tf.contrib.learn.PredictionKey.CLASSES),
        "precision":
            tf.contrib.learn.MetricSpec(
                metric_fn=tf.contrib.metrics.streaming_precision,
                prediction_key=tf.contrib.learn.PredictionKey.CLASSES),
        "recall":
            tf.contrib.learn.MetricSpec(
                metric_fn=tf.contrib.metrics.streaming_recall,
                prediction_key=tf.contrib.learn.PredictionKey.CLASSES)
    }
    validation_monitor = tf.contrib.learn.monitors.ValidationMonitor(
        test_data,
        shifted_target,
        every_n_steps=50,
        metrics=validation_metrics,
        early_stopping_metric="loss",
        early_stopping_metric_minimize=True,
        early_stopping_rounds=200,
        check_interval_secs=1)

    # Build 3 layer DNN with 10, 20, 10 units respectively.
    classifier = tf.contrib.learn.DNNClassifier(
        feature_columns=feature_columns,
        hidden_units=[10, 20, 10],
        n_classes=3,
        model_dir=args.output_dir,
        config=tf.contrib.learn.RunConfig(save_checkpoints_secs=1))

    # Fit model.
    classifier.fit(x=training_data,
                   y=training_target,
                   steps=20000,
                   monitors=[validation_monitor])

    # Evaluate accuracy.
    ev = classifier.evaluate(x=test_data, y=test_target, metrics=validation_metrics)
    print("Accuracy: {0:f}".format(ev["accuracy"]))
    classes = list(classifier.predict(x=test_data, as_iterable=True))

    print("RESULT " + json.dumps({
        "global_step": int(ev["global_step"]),
        "early_stopped": bool(validation_monitor.early_stopped),
        "best_step": int(validation_monitor.best_step),
        "best_value": float(validation_monitor.best_value),
        "eval": {k: float(v) for k, v in ev.items()},
        "test_classes": [int(c) for c in classes],
        "test_targets": [int(t) for t in test_target],
    }))


if __name__ == "__main__":
    tf.app.run()
