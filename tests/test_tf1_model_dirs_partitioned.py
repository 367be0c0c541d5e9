"""TF 1.x model directories with partitioned variables, and with Adam (issue 10, item 4).

The directories are written by TensorFlow itself: real partitioned variables
(``tf.compat.v1.get_variable`` under r1.15's min-max partitioner, as r1.15's DNN built
them with ``num_ps_replicas`` ps tasks) and a real ``tf.compat.v1.train`` optimizer run
in the scope a TF 1.x canned estimator ran it in, so the slots (and Adam's beta
powers) have the names TF 1.x saved: TF's slot_creator (the same in r1.15 and 2.15)
names the slot of each part after the part (``dnn/hiddenlayer_0/weights/t_1/Adagrad``
in TF 1.0, ``.../weights/hiddenlayer_0/weights/part_1/Adagrad`` in r1.15) and saves
only that part's slice under it.
The oracle is numpy: a forward pass of the saved weights and one optimizer step from
the saved slots.
"""

import contextlib
import json
import os
import socket

import numpy as np
import pytest
from test_tf1_model_dirs import (
    DNN_LR,
    DNN_VARS,
    SPELLINGS,
    _adagrad,
    _assert_close,
    _dnn_forward,
    _dnn_grads,
    _names,
    _sigmoid,
    _slot,
)

from compat_learn._tf import tf
from compat_learn.estimators import _ckpt_slices, dnn, linear
from compat_learn.layers import feature_column as fc
from compat_learn.run_config import RunConfig

v1 = tf.compat.v1

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # AdamOptimizer's defaults


def _sliced(value):
    """An initializer giving each part of a partitioned variable its slice of `value`."""
    def initializer(shape, dtype=None, partition_info=None):
        offset = partition_info.var_offset if partition_info else [0] * len(shape)
        return tf.constant(value[tuple(slice(o, o + n) for o, n in zip(offset, shape))],
                           dtype=dtype)
    return initializer


def _write_tf1_dir(model_dir, weights, slots, optimizer, optimizer_scope, name_scope=None,
                   partitions=1, scalars=None, global_step=7):
    """Saves `weights` as TF 1.x did, with `optimizer`'s slots set to `slots`.

    Args:
      weights: {r1.x variable name: value}; each is partitioned into up to
        `partitions` parts along its first axis (r1.15's min-max partitioner).
      slots: {(variable name, optimizer slot name such as "accumulator"): value}.
      optimizer: a tf.compat.v1.train optimizer; it creates its slots (named by TF's
        slot_creator) in variable scope `optimizer_scope` and its non-slot variables
        (Adam's beta powers) in name scope `name_scope`.
      scalars: {non-slot variable name (e.g. "beta1_power") or a full name: value}.

    Returns:
      The checkpoint's {key: shape}.
    """
    partitioner = v1.min_max_variable_partitioner(max_partitions=partitions, min_slice_size=4)
    with tf.Graph().as_default(), v1.Session() as sess:
        parts = {name: list(v1.get_variable(name, shape=value.shape, initializer=_sliced(value),
                                            partitioner=partitioner))
                 for name, value in weights.items()}
        with v1.variable_scope(optimizer_scope), (
                v1.name_scope(name_scope) if name_scope else contextlib.nullcontext()):
            optimizer.apply_gradients([(tf.zeros_like(p), p) for ps in parts.values() for p in ps])
        non_slots = {v.op.name.rsplit("/", 1)[-1]: v for v in optimizer.variables()
                     if v.op.name.endswith("_power")}
        others = {name: v1.Variable(np.float32(value), name=name)
                  for name, value in (scalars or {}).items() if name not in non_slots}
        v1.Variable(np.int64(global_step), name="global_step")
        sess.run(v1.global_variables_initializer())
        for (name, slot_name), value in slots.items():
            for part in parts[name]:
                info = part._get_save_slice_info()
                region = tuple(slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape))
                sess.run(optimizer.get_slot(part, slot_name).assign(value[region]))
        for name, value in (scalars or {}).items():
            if name not in others:
                sess.run(non_slots[name].assign(value))
        v1.train.Saver().save(sess, os.path.join(model_dir, "model.ckpt"), global_step=global_step)
    return dict(tf.train.list_variables(model_dir))


def _input_fn(x, y):
    def input_fn():
        return {"x": tf.constant(x)}, tf.constant(y)
    return input_fn


def _dnn_weights(rng, dims):
    weights = {}
    for layer, (n_in, n_out) in zip(["dnn/hiddenlayer_0", "dnn/logits"], zip(dims, dims[1:])):
        weights[f"{layer}/weights"] = rng.randn(n_in, n_out).astype(np.float32) / np.sqrt(n_in)
        weights[f"{layer}/biases"] = rng.randn(n_out).astype(np.float32)
    return weights


def _adagrad_dir(tmp_path, seed, dims, optimizer_scope, scalars=None):
    """A classifier's directory saved in 2 parts, trained with Adagrad; its data."""
    rng = np.random.RandomState(seed)
    x = rng.rand(8, dims[0]).astype(np.float32)
    y = (x[:, 0] > .5).astype(np.int64)
    weights = _dnn_weights(rng, dims)
    accumulators = {n: rng.uniform(.5, 2., w.shape).astype(np.float32)
                    for n, w in weights.items()}
    checkpoint = _write_tf1_dir(
        str(tmp_path), weights, {(n, "accumulator"): a for n, a in accumulators.items()},
        v1.train.AdagradOptimizer(DNN_LR), optimizer_scope, partitions=2, scalars=scalars)
    return x, y, weights, accumulators, checkpoint


def _classifier_checks(estimator, weights, accumulators, x, y):
    """evaluate / predict match numpy; one fit step is Adagrad from `accumulators`."""
    logits, cache = _dnn_forward(weights, x)
    probabilities = _sigmoid(logits)
    results = estimator.evaluate(input_fn=_input_fn(x, y), steps=1)
    assert results["global_step"] == 7
    loss = -np.mean(y * np.log(probabilities) + (1 - y) * np.log(1 - probabilities))
    np.testing.assert_allclose(results["loss"], loss, rtol=1e-5)
    np.testing.assert_allclose(
        estimator.predict_proba(input_fn=_input_fn(x, y), as_iterable=False)[:, 1],
        probabilities, rtol=1e-5)
    estimator.fit(input_fn=_input_fn(x, y), steps=1)
    assert estimator.get_variable_value("global_step") == 8
    grads = _dnn_grads(weights, (probabilities - y) / len(x), cache, x)
    _assert_close(estimator, {name: _adagrad(weights[name], grads[name], accumulators[name])
                              for name in weights})


def test_saved_slices_are_read_from_the_checkpoint_index(tmp_path):
    weights = {"dnn/hiddenlayer_0/weights": np.ones((3, 4), np.float32),
               "dnn/logits/biases": np.ones(1, np.float32)}
    _write_tf1_dir(str(tmp_path), weights, {}, v1.train.AdagradOptimizer(DNN_LR), "dnn",
                   partitions=2)
    prefix = tf.train.latest_checkpoint(str(tmp_path))
    # Rows 0-1 and 2 of the weights; each part's slot holds its part only; the
    # one-part biases (and their slot) are saved whole, so not listed.
    assert _ckpt_slices.saved_slices(prefix) == {
        "dnn/hiddenlayer_0/weights": [[(0, 2), (0, 4)], [(2, 1), (0, 4)]],
        "dnn/hiddenlayer_0/weights/t_0/Adagrad": [[(0, 2), (0, 4)]],
        "dnn/hiddenlayer_0/weights/t_1/Adagrad": [[(2, 1), (0, 4)]],
    }


@pytest.mark.parametrize("spelling", ["tf1.0", "r1.15-slots"])
def test_a_directory_saved_in_two_partitions_restores_into_one(tmp_path, spelling):
    # A TF 1.x run with 2 ps tasks; here, locally, every variable has one partition.
    optimizer_scope, seen, learning_rate = SPELLINGS[spelling]
    x, y, weights, accumulators, checkpoint = _adagrad_dir(
        tmp_path, 11, (3, 4, 1), optimizer_scope, {learning_rate: DNN_LR})
    # TF saved the hidden weights' slot as two keys, each holding one part's rows.
    assert seen in checkpoint and seen.replace("_0/Adagrad", "_1/Adagrad") in checkpoint

    estimator = dnn.DNNClassifier(hidden_units=[4], feature_columns=[
        fc.real_valued_column("x", dimension=3)], model_dir=str(tmp_path))
    _classifier_checks(estimator, weights, accumulators, x, y)
    # The next checkpoint is the graph's own (one partition): its slot is whole.
    assert "dnn/hiddenlayer_0/weights/hiddenlayer_0/weights/part_1/Adagrad" not in (
        _names(str(tmp_path)))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def three_ps_cluster():
    """An in-process cluster: 3 ps tasks and a worker (TF servers cannot be stopped;
    they end with the test process)."""
    cluster = {"ps": [f"127.0.0.1:{_free_port()}" for _ in range(3)],
               "worker": [f"127.0.0.1:{_free_port()}"]}
    spec = tf.train.ClusterSpec(cluster)
    servers = [tf.distribute.Server(spec, job_name=job, task_index=index, start=True)
               for job in cluster for index in range(len(cluster[job]))]
    yield cluster
    del servers


@pytest.mark.integration
def test_a_directory_saved_in_two_partitions_restores_into_three_on_ps_tasks(
        tmp_path, monkeypatch, three_ps_cluster):
    # r1.15's hidden layers: min_max_variable_partitioner(max_partitions=num_ps_replicas)
    # with 256K slices: the [200, 700] weights get 3 parts on 3 ps tasks, against the
    # 2 parts the TF 1.x run saved. Its part 1 (rows 67..133) spans both saved parts.
    monkeypatch.setenv("TF_CONFIG", json.dumps(
        {"cluster": three_ps_cluster, "task": {"type": "worker", "index": 0}}))
    x, y, weights, accumulators, _ = _adagrad_dir(tmp_path, 12, (200, 700, 1),
                                                  SPELLINGS["r1.15-slots"][0])
    config = RunConfig()
    assert config.num_ps_replicas == 3
    estimator = dnn.DNNClassifier(hidden_units=[700], feature_columns=[
        fc.real_valued_column("x", dimension=200)], model_dir=str(tmp_path), config=config)
    _classifier_checks(estimator, weights, accumulators, x, y)
    assert {f"dnn/hiddenlayer_0/weights/hiddenlayer_0/weights/part_{i}/Adagrad"
            for i in range(3)} <= _names(str(tmp_path))


def _adam(w, g, m, v, beta1_power, beta2_power, lr):
    """TF's ApplyAdam from the saved m, v and beta powers."""
    m = m + (g - m) * (1 - BETA1)
    v = v + (g * g - v) * (1 - BETA2)
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    return w - lr_t * m / (np.sqrt(v) + EPSILON), m, v


def _adam_slots(rng, weights):
    slots = {}
    for name, w in weights.items():
        slots[(name, "m")] = rng.randn(*w.shape).astype(np.float32) * .1
        slots[(name, "v")] = rng.uniform(.01, .05, w.shape).astype(np.float32)
    return slots


# A directory trained 7 steps with Adam: its beta powers are 0.9 ** 7 and 0.999 ** 7;
# a fresh optimizer's would be 0.9 and 0.999, and its step about twice as large.
BETA_POWERS = {"beta1_power": BETA1 ** 7, "beta2_power": BETA2 ** 7}


# Where AdamOptimizer made its slots (variable scope) and beta powers (name scope),
# and the learning rate's name. r1.15: optimize_loss(name="dnn") inside the head's
# variable scope and its "train_op" name scope. TF 1.0: the head had no variable scope
# (the learning rate is dnn/learning_rate) and the same "train_op" name scope.
ADAM_SPELLINGS = {
    "r1.15": ("dnn/regression_head/dnn", "dnn/regression_head/train_op/dnn/",
              "dnn/regression_head/dnn/learning_rate"),
    "tf1.0": ("dnn", "train_op/dnn/", "dnn/learning_rate"),
}


@pytest.mark.parametrize("spelling", sorted(ADAM_SPELLINGS))
def test_dnn_with_adam_continues_from_its_moments_and_beta_powers(tmp_path, spelling):
    optimizer_scope, name_scope, learning_rate = ADAM_SPELLINGS[spelling]
    rng = np.random.RandomState(13)
    x = rng.rand(8, 3).astype(np.float32)
    y = (x @ np.array([1., -2., .5], np.float32)).astype(np.float32)
    weights = _dnn_weights(rng, (3, 4, 1))
    slots = _adam_slots(rng, weights)
    checkpoint = _write_tf1_dir(
        str(tmp_path), weights, slots, v1.train.AdamOptimizer(DNN_LR), optimizer_scope,
        name_scope, scalars=dict(BETA_POWERS, **{learning_rate: DNN_LR}))
    hidden = "dnn/hiddenlayer_0/weights"
    assert {name_scope + "beta1_power", name_scope + "beta2_power",
            _slot(hidden, optimizer_scope, "Adam"), _slot(hidden, optimizer_scope, "Adam_1")
            } <= set(checkpoint)
    # The graph saves them under r1.15's names.
    m_key, v_key = (_slot(hidden, "dnn/regression_head/dnn", slot) for slot in ("Adam", "Adam_1"))

    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=[
        fc.real_valued_column("x", dimension=3)], optimizer="Adam", model_dir=str(tmp_path))
    scores, cache = _dnn_forward(weights, x)
    estimator.fit(input_fn=_input_fn(x, y), steps=1)
    grads = _dnn_grads(weights, 2 * (scores - y) / len(x), cache, x)
    expected = {}
    for name in DNN_VARS:
        expected[name], _, _ = _adam(weights[name], grads[name], slots[(name, "m")],
                                     slots[(name, "v")], BETA_POWERS["beta1_power"],
                                     BETA_POWERS["beta2_power"], DNN_LR)
    expected["dnn/regression_head/train_op/dnn/beta1_power"] = BETA1 ** 8
    expected["dnn/regression_head/train_op/dnn/beta2_power"] = BETA2 ** 8
    # The moments, under the graph's names.
    expected[m_key] = slots[(hidden, "m")] + (grads[hidden] - slots[(hidden, "m")]) * (1 - BETA1)
    expected[v_key] = slots[(hidden, "v")] + (grads[hidden] ** 2 - slots[(hidden, "v")]) * (
        1 - BETA2)
    _assert_close(estimator, expected)


def test_linear_with_an_adam_instance_continues_from_its_moments_and_beta_powers(tmp_path):
    rng = np.random.RandomState(14)
    x = rng.rand(8, 3).astype(np.float32)
    y = (x @ np.array([1., -2., .5], np.float32) + .3).astype(np.float32)
    weights = {"linear/x/weight": rng.randn(3, 1).astype(np.float32),
               "linear/bias_weight": rng.randn(1).astype(np.float32)}
    slots = _adam_slots(rng, weights)
    # r1.15 linear: apply_gradients in the head's scope (variable scope
    # linear/regression_head, name scope linear/regression_head/train_op).
    checkpoint = _write_tf1_dir(
        str(tmp_path), weights, slots, v1.train.AdamOptimizer(0.01),
        "linear/regression_head", "linear/regression_head/train_op/", scalars=BETA_POWERS)
    assert "linear/regression_head/train_op/beta2_power" in checkpoint

    estimator = linear.LinearRegressor(
        feature_columns=[fc.real_valued_column("x", dimension=3)],
        optimizer=v1.train.AdamOptimizer(0.01), model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(x, y), steps=1)
    d_scores = 2 * ((x @ weights["linear/x/weight"] + weights["linear/bias_weight"]).ravel()
                    - y) / len(x)
    grads = {"linear/x/weight": x.T @ d_scores.reshape(-1, 1),
             "linear/bias_weight": d_scores.sum(0, keepdims=True)}
    expected = {name: _adam(weights[name], grads[name], slots[(name, "m")], slots[(name, "v")],
                            BETA_POWERS["beta1_power"], BETA_POWERS["beta2_power"], 0.01)[0]
                for name in weights}
    expected["linear/regression_head/train_op/beta1_power"] = BETA1 ** 8
    _assert_close(estimator, expected)
