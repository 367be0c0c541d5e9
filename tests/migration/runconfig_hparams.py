"""learn_runner.run with run_config and hparams (HParams parsed from a flag)."""
import argparse
import json

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
from tensorflow.contrib.learn.python.learn.estimators import (
    run_config as run_config_lib,
)
from tensorflow.contrib.training import HParams

SEEN = {}


def model_fn(features, labels, mode, params):
    SEEN["learning_rate"] = params.learning_rate
    predictions = tf.squeeze(tf.layers.dense(features["x"], 1), 1)
    loss = tf.losses.mean_squared_error(labels, predictions)
    train_op = tf.train.GradientDescentOptimizer(params.learning_rate).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, predictions=predictions, loss=loss, train_op=train_op,
        eval_metric_ops={"rmse": tf.metrics.root_mean_squared_error(labels, predictions)})


def experiment_fn(run_config, hparams):
    SEEN["model_dir"] = run_config.model_dir
    SEEN["save_checkpoints_steps"] = run_config.save_checkpoints_steps
    x = np.linspace(-1, 1, 64).reshape(-1, 1).astype(np.float32)
    y = (3 * x[:, 0] + 1).astype(np.float32)
    estimator = tf.estimator.Estimator(model_fn, config=run_config, params=hparams)
    return tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=16, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=64, num_epochs=1, shuffle=False),
        train_steps=hparams.train_steps, eval_steps=None, min_eval_frequency=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--hparams", default="")
    args = parser.parse_args()
    hparams = HParams(learning_rate=0.1, train_steps=40).parse(args.hparams)
    config = run_config_lib.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=10,
                                      tf_random_seed=7)
    eval_result, _ = learn_runner.run(experiment_fn, schedule="train_and_evaluate",
                                      run_config=config, hparams=hparams)
    SEEN["global_step"] = int(eval_result["global_step"])
    SEEN["is_contrib_runconfig"] = isinstance(config, tf.contrib.learn.RunConfig)
    print("RESULT " + json.dumps(SEEN))


if __name__ == "__main__":
    main()
