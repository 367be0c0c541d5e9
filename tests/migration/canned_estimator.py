"""Canned estimator through learn_runner.run(experiment_fn, output_dir=...).

Written against names that exist in both namespaces: the test runs it WITHOUT --tf1
(aliases only), as a script that only ever touched tf.contrib.learn would be run.
"""
import argparse
import json
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner


def experiment_fn(output_dir):
    rng = np.random.RandomState(1)
    x = rng.normal(size=(200, 2)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.int32)
    columns = [tf.feature_column.numeric_column("x", shape=[2])]
    estimator = tf.estimator.DNNClassifier(hidden_units=[4], feature_columns=columns,
                                           model_dir=output_dir)
    return tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.contrib.learn.io.numpy_input_fn({"x": x}, y, batch_size=20,
                                                          num_epochs=None),
        eval_input_fn=tf.contrib.learn.io.numpy_input_fn({"x": x}, y, batch_size=50,
                                                         num_epochs=1, shuffle=False),
        train_steps=25, eval_steps=None, min_eval_frequency=0)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args(argv[1:])
    eval_result, _export_results = learn_runner.run(experiment_fn, output_dir=args.output_dir)
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "has_accuracy": "accuracy" in eval_result,
        "tf_is_v1": hasattr(tf, "layers"),
    }))


if __name__ == "__main__":
    main(sys.argv)
