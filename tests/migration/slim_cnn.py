"""A slim CNN in a contrib Estimator run by learn_runner, as 2017 trainers wrote it.

slim.arg_scope over conv2d / max_pool2d / fully_connected; the optimizer
picked by name from tf.contrib.layers.OPTIMIZER_CLS_NAMES and trained with
tf.contrib.layers.optimize_loss (with a learning-rate decay and gradient clipping);
ModelFnOps, learn.io.numpy_input_fn and an Experiment from an experiment_fn. Run with
--tf1.
"""
import argparse
import glob
import json

import numpy as np
import tensorflow as tf
from tensorflow.contrib import learn, slim
from tensorflow.contrib.learn.python.learn import learn_runner

IMAGE_SIZE = 12


def lenet(images, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1),
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        with slim.arg_scope([slim.conv2d], padding="SAME"):
            net = slim.conv2d(images, 8, [3, 3], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.conv2d(net, 16, [3, 3], scope="conv2")
            net = slim.max_pool2d(net, [2, 2], scope="pool2")
        net = slim.flatten(net)
        net = slim.fully_connected(net, 32, scope="fc3")
        net = slim.dropout(net, 0.75, is_training=is_training, scope="dropout3")
        return slim.fully_connected(net, 2, activation_fn=None, scope="fc4")


def model_fn(features, labels, mode, params):
    images = tf.reshape(features["image"], [-1, IMAGE_SIZE, IMAGE_SIZE, 1])
    logits = lenet(images, is_training=mode == learn.ModeKeys.TRAIN)
    predictions = {"classes": tf.argmax(logits, 1), "probabilities": tf.nn.softmax(logits)}
    loss = train_op = eval_metric_ops = None
    if mode != learn.ModeKeys.INFER:
        onehot = tf.one_hot(tf.cast(labels, tf.int32), 2)
        loss = tf.losses.softmax_cross_entropy(onehot, logits)
        loss += tf.add_n(tf.losses.get_regularization_losses())
        eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels, predictions["classes"])}
    if mode == learn.ModeKeys.TRAIN:
        train_op = tf.contrib.layers.optimize_loss(
            loss=loss,
            global_step=tf.contrib.framework.get_global_step(),
            learning_rate=params.learning_rate,
            optimizer=params.optimizer,
            clip_gradients=5.0,
            learning_rate_decay_fn=lambda lr, step: tf.train.exponential_decay(
                lr, step, 100, 0.96),
            summaries=["loss", "learning_rate", "gradient_norm"])
    return learn.ModelFnOps(mode=mode, predictions=predictions, loss=loss,
                            train_op=train_op, eval_metric_ops=eval_metric_ops)


def make_data(n, seed):
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 2, n)
    images = rng.uniform(0, 0.3, (n, IMAGE_SIZE, IMAGE_SIZE)).astype(np.float32)
    for i, label in enumerate(labels):  # a bright square top-left (0) or bottom-right (1)
        corner = slice(0, 5) if label == 0 else slice(IMAGE_SIZE - 5, IMAGE_SIZE)
        images[i, corner, corner] += 0.7
    return images.reshape(n, -1), labels.astype(np.int64)


def experiment_fn(run_config, hparams):
    if hparams.optimizer not in tf.contrib.layers.OPTIMIZER_CLS_NAMES:
        raise ValueError("--optimizer must be one of %s" %
                         sorted(tf.contrib.layers.OPTIMIZER_CLS_NAMES))
    train_x, train_y = make_data(256, 0)
    eval_x, eval_y = make_data(64, 1)
    estimator = learn.Estimator(model_fn=model_fn, params=hparams, config=run_config)
    return learn.Experiment(
        estimator=estimator,
        train_input_fn=learn.io.numpy_input_fn({"image": train_x}, train_y, batch_size=32,
                                               num_epochs=None, shuffle=True),
        eval_input_fn=learn.io.numpy_input_fn({"image": eval_x}, eval_y, batch_size=64,
                                              num_epochs=1, shuffle=False),
        train_steps=hparams.train_steps,
        eval_steps=None,
        min_eval_frequency=0)


def summary_tags(output_dir):
    tags = set()
    for path in glob.glob(output_dir + "/events.out.tfevents.*"):
        for event in tf.train.summary_iterator(path):
            tags.update(value.tag for value in event.summary.value)
    return tags


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--optimizer", default="Adam")
    args = parser.parse_args()
    tf.logging.set_verbosity(tf.logging.WARN)
    hparams = tf.contrib.training.HParams(optimizer=args.optimizer, learning_rate=0.01,
                                          train_steps=40)
    run_config = learn.RunConfig(model_dir=args.output_dir, save_checkpoints_steps=20,
                                 tf_random_seed=3)
    eval_result, _ = learn_runner.run(experiment_fn, run_config=run_config,
                                      schedule="train_and_evaluate", hparams=hparams)
    names = tf.train.list_variables(args.output_dir)
    tags = summary_tags(args.output_dir)
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "accuracy": float(eval_result["accuracy"]),
        "optimizers": sorted(tf.contrib.layers.OPTIMIZER_CLS_NAMES),
        "variables": sorted(name for name, _ in names),
        "summaries": sorted(t for t in tags if t.startswith("OptimizeLoss")),
    }))


if __name__ == "__main__":
    main()
