"""Every local schedule through learn_runner.run(schedule=...), one model_dir."""
import argparse
import json

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn import learn_runner


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 2)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={"accuracy": tf.metrics.accuracy(labels, tf.argmax(logits, 1))})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    rng = np.random.RandomState(2)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 1] > 0).astype(np.int32)

    def experiment_fn(run_config, hparams):
        estimator = tf.estimator.Estimator(model_fn, config=run_config)
        return tf.contrib.learn.Experiment(
            estimator,
            train_input_fn=tf.estimator.inputs.numpy_input_fn(
                {"x": x}, y, batch_size=16, num_epochs=None, shuffle=True),
            eval_input_fn=tf.estimator.inputs.numpy_input_fn(
                {"x": x}, y, batch_size=64, num_epochs=1, shuffle=False),
            train_steps=20, eval_steps=None, eval_delay_secs=0,
            continuous_eval_throttle_secs=0, min_eval_frequency=0,
            train_steps_per_iteration=10)

    config = tf.contrib.learn.RunConfig(model_dir=args.output_dir)
    results = {}
    for schedule in ("train", "evaluate", "test", "continuous_eval", "train_and_evaluate",
                     "continuous_train_and_eval"):
        value = learn_runner.run(experiment_fn, schedule=schedule, run_config=config)
        if isinstance(value, tuple):  # (eval_result, export_results)
            value = value[0]
        if isinstance(value, dict):
            value = int(value["global_step"])
        elif value is not None:  # train returns the estimator
            value = type(value).__name__
        results[schedule] = value
        results[schedule + "_latest"] = int(tf.train.load_variable(
            args.output_dir, "global_step"))
    print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    main()
