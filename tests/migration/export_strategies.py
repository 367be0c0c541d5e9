"""Export strategies: make_export_strategy ('Servo', keep 2) and a custom ExportStrategy."""
import argparse
import json
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils

CALLS = []


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 2)
    classes = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(
            mode, predictions={"classes": classes},
            export_outputs={"serving_default": tf.estimator.export.PredictOutput(
                {"classes": classes})})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.AdagradOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def serving_input_fn():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def record_export(estimator, export_path, checkpoint_path=None, eval_result=None):
    CALLS.append({"path": export_path.decode() if isinstance(export_path, bytes)
                  else export_path, "step": int(eval_result["global_step"])})
    return "recorded"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    rng = np.random.RandomState(3)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] < 0).astype(np.int32)
    config = tf.contrib.learn.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=10)
    estimator = tf.estimator.Estimator(model_fn, config=config)
    experiment = tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=16, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=64, num_epochs=1, shuffle=False),
        train_steps=30, eval_steps=None, train_steps_per_iteration=10,
        export_strategies=[
            saved_model_export_utils.make_export_strategy(serving_input_fn,
                                                          exports_to_keep=2),
            tf.contrib.learn.ExportStrategy("recorder", record_export),
        ])
    # r1.15: continuous_train_and_eval exports after every evaluation (three here).
    eval_result, export_results = experiment.continuous_train_and_eval()
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "export_results": [r.decode() if isinstance(r, bytes) else r for r in export_results],
        "recorder_calls": CALLS,
        "servo": sorted(os.listdir(os.path.join(args.output_dir, "export", "Servo"))),
    }))


if __name__ == "__main__":
    main()
