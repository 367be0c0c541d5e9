"""One task of a TF_CONFIG cluster, TF 1.x style: the same script runs on every task.

learn_runner picks the schedule from TF_CONFIG (ps: run_std_server, master/chief:
train_and_evaluate, worker: train, evaluator: continuous_eval). Prints one
`RESULT {json}` line when its schedule returns (a ps never returns).
"""
import argparse
import json
import time

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn import learn_runner
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils


class TrainRecorder(tf.train.SessionRunHook):
    """Where the variables live, and the global steps this task's own steps produced."""

    def __init__(self):
        self.devices = {}
        self.local_steps = 0
        self.first_step = self.last_step = None

    def begin(self):
        self.devices = {v.op.name: v.device for v in tf.global_variables()}
        self._global_step = tf.train.get_global_step()

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        # A few ms per step, so that a step takes about what it costs on a real model
        # and the chief cannot finish all steps before a slower-starting worker joins.
        time.sleep(0.005)
        self.local_steps += 1
        if self.first_step is None:
            self.first_step = int(run_values.results)
        self.last_step = int(run_values.results)


class EvalRecorder(tf.train.SessionRunHook):
    """The global step of every checkpoint this task evaluated."""

    def __init__(self):
        self.steps = []

    def begin(self):
        self._global_step = tf.train.get_global_step()

    def end(self, session):
        self.steps.append(int(session.run(self._global_step)))


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 2)
    classes = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(
            mode, predictions={"classes": classes},
            export_outputs={"serving_default": tf.estimator.export.PredictOutput(
                {"classes": classes})})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={"accuracy": tf.metrics.accuracy(labels, classes)})


def serving_input_fn():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--train_steps", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.RandomState(5)
    x = rng.normal(size=(256, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    train_recorder, eval_recorder = TrainRecorder(), EvalRecorder()

    def experiment_fn(run_config, hparams):
        estimator = tf.estimator.Estimator(model_fn, config=run_config)
        strategies = None
        if run_config.is_chief:
            strategies = [saved_model_export_utils.make_export_strategy(serving_input_fn)]
        return tf.contrib.learn.Experiment(
            estimator,
            train_input_fn=tf.estimator.inputs.numpy_input_fn(
                {"x": x}, y, batch_size=32, num_epochs=None, shuffle=True),
            eval_input_fn=tf.estimator.inputs.numpy_input_fn(
                {"x": x}, y, batch_size=256, num_epochs=1, shuffle=False),
            train_steps=args.train_steps, eval_steps=None,
            train_monitors=[train_recorder], eval_hooks=[eval_recorder],
            eval_delay_secs=0, continuous_eval_throttle_secs=1, min_eval_frequency=0,
            export_strategies=strategies)

    config = tf.contrib.learn.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=50)
    value = learn_runner.run(experiment_fn, run_config=config)
    exports = []
    if isinstance(value, tuple):  # train_and_evaluate: (eval_result, export_results)
        exports = [p.decode() if isinstance(p, bytes) else p for p in value[1]]
    print("RESULT " + json.dumps({
        "task": [config.task_type, config.task_id], "is_chief": config.is_chief,
        "devices": train_recorder.devices, "local_steps": train_recorder.local_steps,
        "first_step": train_recorder.first_step, "last_step": train_recorder.last_step,
        "evaluated_steps": eval_recorder.steps, "exports": exports,
    }))


if __name__ == "__main__":
    main()
