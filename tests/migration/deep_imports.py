"""Deep import paths and the contrib Estimator protocol (ModelFnOps, learn_io)."""
import argparse
import json
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import evaluable, learn_io, trainable
from tensorflow.contrib.learn.python.learn import experiment as experiment_lib
from tensorflow.contrib.learn.python.learn.estimators import (
    constants,
    metric_key,
    prediction_key,
    run_config,
)
from tensorflow.contrib.learn.python.learn.estimators import estimator as estimator_lib
from tensorflow.contrib.learn.python.learn.estimators import model_fn as model_fn_lib
from tensorflow.contrib.learn.python.learn.estimators.run_config import Environment
from tensorflow.contrib.learn.python.learn.utils import (
    input_fn_utils,
    saved_model_export_utils,
)


def model_fn(features, labels, mode):
    logits = tf.contrib.layers.fully_connected(features["x"], 2, activation_fn=None)
    probabilities = tf.nn.softmax(logits)
    loss = None
    train_op = None
    if mode != model_fn_lib.ModeKeys.INFER:
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
            loss, global_step=tf.contrib.framework.get_global_step())
    return model_fn_lib.ModelFnOps(
        mode=mode, loss=loss, train_op=train_op,
        predictions={prediction_key.PredictionKey.PROBABILITIES: probabilities})


def serving_input_fn():
    x = tf.placeholder(tf.float32, [None, 2])
    return input_fn_utils.InputFnOps({"x": x}, None, {"x": x})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    x = np.random.RandomState(6).normal(size=(40, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32)
    config = run_config.RunConfig(model_dir=args.output_dir)
    estimator = estimator_lib.Estimator(model_fn=model_fn, config=config)
    experiment = experiment_lib.Experiment(
        estimator,
        train_input_fn=learn_io.numpy_input_fn({"x": x}, y, batch_size=10, num_epochs=None),
        eval_input_fn=learn_io.numpy_input_fn({"x": x}, y, batch_size=40, num_epochs=1,
                                              shuffle=False),
        train_steps=12, eval_steps=None, min_eval_frequency=0,
        export_strategies=[saved_model_export_utils.make_export_strategy(
            serving_input_fn, default_output_alternative_key=None)])
    eval_result, export_results = experiment.train_and_evaluate()
    print("RESULT " + json.dumps({
        "loss_key": metric_key.MetricKey.LOSS in eval_result,
        "global_step": int(eval_result["global_step"]),
        "trainable": isinstance(estimator, trainable.Trainable),
        "evaluable": isinstance(estimator, evaluable.Evaluable),
        "environment": Environment.LOCAL,
        "problem_type": constants.ProblemType.CLASSIFICATION,
        "exported": [os.path.isfile(os.path.join(
            p.decode() if isinstance(p, bytes) else p, "saved_model.pb"))
            for p in export_results],
    }))


if __name__ == "__main__":
    main()
