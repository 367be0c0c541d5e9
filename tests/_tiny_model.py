"""A tiny real tf.estimator model for integration tests: linear regression on y = 2x + 1.

Everything here is real TensorFlow (graph-mode model_fn, tf.data input); it trains a
few steps in well under a second.
"""

import numpy as np

from compat_learn import _tf

tf = _tf.tf

_X = np.linspace(-1.0, 1.0, 64, dtype=np.float32).reshape(-1, 1)
_Y = 2.0 * _X + 1.0


def model_fn(features, labels, mode):
    x = features["x"] if isinstance(features, dict) else features
    w = tf.compat.v1.get_variable("w", [1, 1], initializer=tf.compat.v1.zeros_initializer())
    b = tf.compat.v1.get_variable("b", [1], initializer=tf.compat.v1.zeros_initializer())
    predictions = tf.matmul(x, w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(
            mode, predictions={"y": predictions},
            export_outputs={"serving_default": tf.estimator.export.PredictOutput({"y": predictions})})
    loss = tf.compat.v1.losses.mean_squared_error(labels, predictions)
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.compat.v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={"mae": tf.compat.v1.metrics.mean_absolute_error(labels, predictions)})


def contrib_model_fn(features, labels, mode):
    """The same model as a tf.contrib.learn model_fn: returns ModelFnOps."""
    from compat_learn.estimators.model_fn import ModelFnOps

    spec = model_fn(features, labels,
                    tf.estimator.ModeKeys.PREDICT if mode == "infer" else mode)
    return ModelFnOps(mode=mode, predictions=spec.predictions, loss=spec.loss,
                      train_op=spec.train_op, eval_metric_ops=spec.eval_metric_ops)


def train_input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": _X}, _Y)).repeat().batch(16)


def eval_input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": _X}, _Y)).batch(16)


def serving_input_fn():
    x = tf.compat.v1.placeholder(tf.float32, [None, 1], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def make_contrib_estimator(model_dir, **config_kwargs):
    """A compat_learn (contrib-style) Estimator on `contrib_model_fn`."""
    from compat_learn.estimators.estimator import Estimator
    from compat_learn.run_config import RunConfig

    return Estimator(model_fn=contrib_model_fn, model_dir=str(model_dir),
                     config=RunConfig(**config_kwargs))


def make_estimator(model_dir, config=None, **config_kwargs):
    if config is None:
        config = tf.estimator.RunConfig(model_dir=str(model_dir), **config_kwargs)
    return tf.estimator.Estimator(model_fn=model_fn, model_dir=str(model_dir), config=config)
