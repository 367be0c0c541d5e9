"""A ResNet-style model_fn with tf.contrib.layers.batch_norm, fed by a contrib.data
pipeline, run by learn_runner (the shape of TF's cifar10_estimator and 2017 ResNet
trainers): TFRecords read with tf.contrib.data.TFRecordDataset and
map(num_threads=, output_buffer_size=); residual blocks with fused batch_norm whose
moving averages are updated through UPDATE_OPS (control dependency on the train op),
and a head batch_norm with updates_collections=None. Run with --tf1.
"""
import argparse
import json
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner

HEIGHT = WIDTH = 8
DEPTH = 3


def write_tfrecords(path, n, seed):
    rng = np.random.RandomState(seed)
    with tf.python_io.TFRecordWriter(path) as writer:
        for _ in range(n):
            label = rng.randint(0, 2)
            image = rng.normal(0.0, 1.0, (HEIGHT, WIDTH, DEPTH)).astype(np.float32)
            image[..., label] += 1.5  # the class shows as a brighter channel
            example = tf.train.Example(features=tf.train.Features(feature={
                "image": tf.train.Feature(bytes_list=tf.train.BytesList(
                    value=[image.tobytes()])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
            }))
            writer.write(example.SerializeToString())


def make_input_fn(filename, batch_size, is_training):
    def parser(serialized):
        features = tf.parse_single_example(serialized, features={
            "image": tf.FixedLenFeature([], tf.string),
            "label": tf.FixedLenFeature([], tf.int64),
        })
        image = tf.reshape(tf.decode_raw(features["image"], tf.float32),
                           [HEIGHT, WIDTH, DEPTH])
        return image, tf.cast(features["label"], tf.int32)

    def input_fn():
        dataset = tf.contrib.data.TFRecordDataset([filename])
        dataset = dataset.map(parser, num_threads=2, output_buffer_size=2 * batch_size)
        if is_training:
            dataset = dataset.shuffle(buffer_size=64).repeat()
        dataset = dataset.batch(batch_size)
        images, labels = dataset.make_one_shot_iterator().get_next()
        return {"images": images}, labels

    return input_fn


def batch_norm(inputs, is_training, **kwargs):
    return tf.contrib.layers.batch_norm(inputs, decay=0.9, center=True, scale=True,
                                        epsilon=1e-5, is_training=is_training, fused=True,
                                        **kwargs)


def residual_block(inputs, filters, is_training, scope):
    with tf.variable_scope(scope):
        shortcut = inputs
        net = batch_norm(inputs, is_training, scope="bn1")
        net = tf.nn.relu(net)
        net = tf.layers.conv2d(net, filters, 3, padding="same", use_bias=False, name="conv1")
        net = batch_norm(net, is_training, scope="bn2")
        net = tf.nn.relu(net)
        net = tf.layers.conv2d(net, filters, 3, padding="same", use_bias=False, name="conv2")
        return net + shortcut


def model_fn(features, labels, mode, params):
    is_training = mode == tf.estimator.ModeKeys.TRAIN
    net = tf.layers.conv2d(features["images"], 8, 3, padding="same", use_bias=False,
                           name="init_conv")
    for i in range(params.num_blocks):
        net = residual_block(net, 8, is_training, "block%d" % (i + 1))
    # The final batch_norm updates its moving averages in place, without UPDATE_OPS.
    net = batch_norm(net, is_training, updates_collections=None, scope="final_bn")
    net = tf.reduce_mean(tf.nn.relu(net), [1, 2])
    logits = tf.layers.dense(net, 2, name="logits")
    predictions = {"classes": tf.argmax(logits, 1)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    optimizer = tf.train.MomentumOptimizer(params.learning_rate, momentum=0.9)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    metrics = {"accuracy": tf.metrics.accuracy(labels, predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops=metrics)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    data_dir = args.output_dir + "_data"
    os.makedirs(data_dir, exist_ok=True)
    train_file = os.path.join(data_dir, "train.tfrecords")
    eval_file = os.path.join(data_dir, "eval.tfrecords")
    write_tfrecords(train_file, 256, 0)
    write_tfrecords(eval_file, 64, 1)

    def experiment_fn(run_config, hparams):
        estimator = tf.estimator.Estimator(model_fn=model_fn, config=run_config,
                                           params=hparams)
        return tf.contrib.learn.Experiment(
            estimator,
            train_input_fn=make_input_fn(train_file, 32, True),
            eval_input_fn=make_input_fn(eval_file, 64, False),
            train_steps=hparams.train_steps, eval_steps=1, min_eval_frequency=0)

    config = tf.contrib.learn.RunConfig(model_dir=args.output_dir, tf_random_seed=1)
    hparams = tf.contrib.training.HParams(learning_rate=0.05, num_blocks=2, train_steps=30)
    eval_result, _ = learn_runner.run(experiment_fn, run_config=config, hparams=hparams)
    # The training graph again, to count what batch_norm put in UPDATE_OPS.
    with tf.Graph().as_default():
        features, labels = make_input_fn(train_file, 4, True)()
        model_fn(features, labels, tf.estimator.ModeKeys.TRAIN, hparams)
        update_ops = [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
    reader = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(args.output_dir))
    names = sorted(reader.get_variable_to_shape_map())
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "accuracy": float(eval_result["accuracy"]),
        "batch_norm_variables": [n for n in names if "bn" in n and "Momentum" not in n],
        "update_ops": update_ops,
        "moving_mean_moved": {
            name: bool(np.any(reader.get_tensor(name) != 0))
            for name in ("block1/bn1/moving_mean", "final_bn/moving_mean")},
    }))


if __name__ == "__main__":
    main()
