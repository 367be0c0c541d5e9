"""tf.app.flags + tf.app.run + tf.logging, hparams from a flag, exit status from main."""
import json

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
from tensorflow.contrib.training import HParams

flags = tf.app.flags
flags.DEFINE_string("output_dir", None, "Where to write the model.")
flags.DEFINE_string("hparams", "", "Comma-separated name=value pairs.")
flags.DEFINE_integer("exit_code", 0, "Status main returns.")
FLAGS = flags.FLAGS


def model_fn(features, labels, mode, params):
    logits = tf.layers.dense(features["x"], 2)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.FtrlOptimizer(params.learning_rate).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def experiment_fn(run_config, hparams):
    x = np.random.RandomState(5).normal(size=(32, 2)).astype(np.float32)
    y = (x[:, 0] > x[:, 1]).astype(np.int32)
    return tf.contrib.learn.Experiment(
        tf.estimator.Estimator(model_fn, config=run_config, params=hparams),
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=8, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=32, num_epochs=1, shuffle=False),
        train_steps=hparams.train_steps, eval_steps=None, min_eval_frequency=0)


def main(unused_argv):
    tf.logging.set_verbosity(tf.logging.WARN)
    hparams = HParams(learning_rate=0.1, train_steps=10)
    hparams.parse(FLAGS.hparams)
    eval_result, _ = learn_runner.run(
        experiment_fn, run_config=tf.contrib.learn.RunConfig(model_dir=FLAGS.output_dir),
        hparams=hparams)
    print("RESULT " + json.dumps({"global_step": int(eval_result["global_step"]),
                                  "train_steps": hparams.train_steps}))
    return FLAGS.exit_code


if __name__ == "__main__":
    tf.app.run()
