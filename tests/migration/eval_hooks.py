"""eval_hooks, continuous_eval with a predicate, evaluate() with a name."""
import argparse
import json

import numpy as np
import tensorflow as tf

CALLS = {"eval_begin": 0, "eval_end": 0, "predicate": []}


class EvalCounter(tf.train.SessionRunHook):
    def begin(self):
        CALLS["eval_begin"] += 1

    def end(self, session):
        CALLS["eval_end"] += 1


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 3)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.RMSPropOptimizer(0.01).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    rng = np.random.RandomState(4)
    x = rng.normal(size=(48, 4)).astype(np.float32)
    y = rng.randint(0, 3, size=48).astype(np.int32)
    estimator = tf.estimator.Estimator(model_fn, model_dir=args.output_dir)
    experiment = tf.contrib.learn.Experiment(
        estimator,
        train_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=12, num_epochs=None, shuffle=True),
        eval_input_fn=tf.estimator.inputs.numpy_input_fn(
            {"x": x}, y, batch_size=48, num_epochs=1, shuffle=False),
        train_steps=15, eval_steps=None, eval_hooks=[EvalCounter()],
        eval_delay_secs=0, continuous_eval_throttle_secs=0)
    experiment.train()
    named = experiment.evaluate(name="holdout")

    def predicate(eval_result, checkpoint_path=None):
        CALLS["predicate"].append(bool(eval_result))
        return not eval_result  # stop after the first real evaluation

    experiment.continuous_eval(continuous_eval_predicate_fn=predicate)
    CALLS["named_step"] = int(named["global_step"])
    print("RESULT " + json.dumps(CALLS))


if __name__ == "__main__":
    main()
