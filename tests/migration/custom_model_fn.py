"""Custom model_fn: tf.layers, tf.train.AdamOptimizer, tf.contrib helpers (run with --tf1)."""
import argparse
import json

import numpy as np
import tensorflow as tf


def model_fn(features, labels, mode, params):
    net = tf.layers.dense(features["x"], 8, activation=tf.nn.relu,
                          kernel_initializer=tf.contrib.layers.xavier_initializer(),
                          kernel_regularizer=tf.contrib.layers.l2_regularizer(1e-4))
    logits = tf.layers.dense(net, 2)
    classes = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"classes": classes})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits) + \
        tf.losses.get_regularization_loss()
    optimizer = tf.train.AdamOptimizer(params["learning_rate"])
    train_op = optimizer.minimize(
        loss, global_step=tf.contrib.framework.get_or_create_global_step())
    metrics = {
        "accuracy": tf.contrib.metrics.streaming_accuracy(classes, labels),
        "auc": tf.contrib.metrics.streaming_auc(tf.nn.softmax(logits)[:, 1], labels),
        "mean_label": tf.contrib.metrics.streaming_mean(tf.to_float(labels)),
    }
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops=metrics)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    x = rng.normal(size=(256, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32)
    estimator = tf.estimator.Estimator(model_fn, model_dir=args.output_dir,
                                       params={"learning_rate": 0.05})
    experiment = tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=32, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=64, num_epochs=1, shuffle=False),
        train_steps=30, eval_steps=None, min_eval_frequency=0)
    eval_result, export_results = experiment.train_and_evaluate()
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "metrics": sorted(k for k in eval_result if k != "global_step"),
        "export_results": export_results,
    }))


if __name__ == "__main__":
    main()
