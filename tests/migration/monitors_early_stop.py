"""Monitors: ValidationMonitor with early stopping, an EveryN monitor, a raw hook."""
import argparse
import json

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import monitors as monitor_lib

COUNTS = {"every_n": [], "hook_begin": 0, "hook_after_run": 0}


class StepLogger(tf.contrib.learn.monitors.EveryN):
    def every_n_step_end(self, step, outputs):
        COUNTS["every_n"].append(int(step))
        return False


class CountingHook(tf.train.SessionRunHook):
    def begin(self):
        COUNTS["hook_begin"] += 1

    def after_run(self, run_context, run_values):
        COUNTS["hook_after_run"] += 1


def model_fn(features, labels, mode):
    predictions = tf.squeeze(tf.layers.dense(features["x"], 1), 1)
    loss = tf.losses.mean_squared_error(labels, predictions)
    # A learning rate of zero: the validation loss never improves, so early stopping
    # must end training long before train_steps.
    train_op = tf.train.GradientDescentOptimizer(0.0).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    x = np.linspace(0, 1, 32).reshape(-1, 1).astype(np.float32)
    y = (2 * x[:, 0]).astype(np.float32)
    eval_input_fn = tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=32,
                                                       num_epochs=1, shuffle=False)
    validation = monitor_lib.ValidationMonitor(
        input_fn=eval_input_fn, every_n_steps=5, early_stopping_rounds=10,
        early_stopping_metric="loss", check_interval_secs=0)
    config = tf.contrib.learn.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=5)
    estimator = tf.estimator.Estimator(model_fn, config=config)
    experiment = tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=8, num_epochs=None, shuffle=True),
        eval_input_fn=eval_input_fn, train_steps=1000, eval_steps=None,
        train_monitors=[validation, StepLogger(every_n_steps=10), CountingHook()])
    experiment.train()
    print("RESULT " + json.dumps({
        "final_step": int(tf.train.load_variable(args.output_dir, "global_step")),
        "early_stopped": bool(validation.early_stopped),
        "best_step": int(validation.best_step),
        "counts": COUNTS,
    }))


if __name__ == "__main__":
    main()
