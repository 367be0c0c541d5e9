"""A TensorFlow 1.x training script in the style of 2017-2018, unmodified.

It builds a tf.contrib.learn.Experiment from an experiment_fn and hands it to
learn_runner, as cloud training templates of the time did. compat_learn runs it as
it is:

    compat-learn run --tf1 examples/legacy_experiment.py --output_dir /tmp/legacy_run

With its import lines changed as the README's migration table says (and nothing
else), it runs with plain `python` too.
"""

import argparse
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib import learn
from tensorflow.contrib.learn import learn_runner
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils
from tensorflow.contrib.training import HParams

FEATURES = 4


def make_data(n, seed):
    """Two noisy clusters; the label is which side of a hyperplane a point lies on."""
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, FEATURES)).astype(np.float32)
    y = (x.dot(np.array([1.0, -2.0, 0.5, 1.5])) > 0).astype(np.int32)
    return x, y


def model_fn(features, labels, mode, params):
    net = features["x"]
    for units in params.hidden_units:
        net = tf.layers.dense(net, units, activation=tf.nn.relu)
    logits = tf.layers.dense(net, 2)
    classes = tf.argmax(logits, axis=1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        predictions = {"classes": classes, "probabilities": tf.nn.softmax(logits)}
        return tf.estimator.EstimatorSpec(
            mode, predictions=predictions,
            export_outputs={"serving_default": tf.estimator.export.PredictOutput(predictions)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    optimizer = tf.train.AdamOptimizer(learning_rate=params.learning_rate)
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    metrics = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=classes)}
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


def serving_input_fn():
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def experiment_fn(run_config, hparams):
    train_x, train_y = make_data(2000, seed=0)
    eval_x, eval_y = make_data(500, seed=1)
    estimator = tf.estimator.Estimator(model_fn=model_fn, config=run_config, params=hparams)
    return learn.Experiment(
        estimator=estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": train_x}, train_y, batch_size=64, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": eval_x}, eval_y, batch_size=100, num_epochs=1, shuffle=False),
        train_steps=hparams.train_steps,
        eval_steps=None,
        min_eval_frequency=100,
        export_strategies=[saved_model_export_utils.make_export_strategy(
            serving_input_fn, exports_to_keep=3)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--train_steps", type=int, default=300)
    parser.add_argument("--hparams", default="", help="e.g. learning_rate=0.01,hidden_units=[16,8]")
    args = parser.parse_args()

    tf.logging.set_verbosity(tf.logging.INFO)
    hparams = HParams(learning_rate=0.05, hidden_units=[16, 8], train_steps=args.train_steps)
    hparams.parse(args.hparams)
    run_config = learn.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=100)

    eval_result, export_results = learn_runner.run(
        experiment_fn, run_config=run_config, hparams=hparams)

    print("global_step: %d  accuracy: %.3f  loss: %.4f" % (
        eval_result["global_step"], eval_result["accuracy"], eval_result["loss"]))
    for path in export_results:
        print("exported SavedModel: %s" % os.fsdecode(path))


if __name__ == "__main__":
    main()
