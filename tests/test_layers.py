"""tf.contrib.layers' layer functions, batch_norm, initializers, regularizers, summaries.

Numbers: a numpy recomputation over the layer's own weights. Names, collections and
messages: r1.15's (contrib/layers/python/layers/*.py, pinned below).
"""

import numpy as np
import pytest

from compat_learn import _tf, layers
from compat_learn.framework import arg_scope

tf = _tf.tf
v1 = tf.compat.v1
GK = v1.GraphKeys


RNG = np.random.RandomState(0)
IMAGES = RNG.normal(size=(6, 4, 4, 2)).astype(np.float32)


def _run(fetches, feed_dict=None):
    with v1.Session() as sess:
        sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
        return sess.run(fetches, feed_dict)


def _names(collection=GK.GLOBAL_VARIABLES):
    return [v.op.name for v in v1.get_collection(collection)]


# --------------------------------------------------------------------------------------
# batch_norm
# --------------------------------------------------------------------------------------
def _batch_norm(**kwargs):
    """One training step of batch_norm on IMAGES: output, moving mean/var, #update ops."""
    with tf.Graph().as_default():
        out = layers.batch_norm(tf.constant(IMAGES), decay=0.9, **kwargs)
        updates = v1.get_collection(GK.UPDATE_OPS)
        names = _names()
        moving = [v for v in v1.global_variables() if v.op.name.endswith(("moving_mean",
                                                                          "moving_variance"))]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            value = sess.run([out] + updates)[0]
            mean, variance = sess.run(moving)
    return value, mean, variance, len(updates), names


MEAN, VAR = IMAGES.mean((0, 1, 2)), IMAGES.var((0, 1, 2))
N = IMAGES.size // 2
NORMALIZED = (IMAGES - MEAN) / np.sqrt(VAR + 0.001)


@pytest.mark.parametrize("kwargs, bessel", [
    ({}, True),  # r1.15 default fused=None: the fused kernel (Bessel-corrected variance)
    ({"fused": False}, False),  # tf.layers.BatchNormalization, plain moments
    ({"updates_collections": None}, True),  # updated in place, no UPDATE_OPS
])
def test_batch_norm_training_numbers_names_and_update_ops(kwargs, bessel):
    value, mean, variance, n_updates, names = _batch_norm(is_training=True, **kwargs)
    np.testing.assert_allclose(value, NORMALIZED, atol=1e-4)
    np.testing.assert_allclose(mean, 0.1 * MEAN, atol=1e-6)
    batch_var = VAR * N / (N - 1) if bessel else VAR
    np.testing.assert_allclose(variance, 0.9 + 0.1 * batch_var, atol=1e-6)
    assert names == ["BatchNorm/beta", "BatchNorm/moving_mean", "BatchNorm/moving_variance"]
    assert n_updates == (0 if kwargs.get("updates_collections", 1) is None else 2)


def test_batch_norm_inference_uses_the_moving_statistics():
    value, mean, _, n_updates, _ = _batch_norm(is_training=False)
    np.testing.assert_allclose(value, IMAGES / np.sqrt(1.0 + 0.001), atol=1e-5)
    np.testing.assert_allclose(mean, 0.0)
    assert n_updates == 0


def test_batch_norm_rank2_scale_and_collections():
    x = RNG.normal(size=(8, 3)).astype(np.float32)
    with tf.Graph().as_default():
        out = layers.batch_norm(tf.constant(x), is_training=True, scale=True, scope="bn",
                                param_initializers={"gamma": v1.constant_initializer(2.0),
                                                    "beta": v1.constant_initializer(0.5)},
                                variables_collections=["mine"])
        assert _names() == ["bn/beta", "bn/gamma", "bn/moving_mean", "bn/moving_variance"]
        assert _names(GK.MODEL_VARIABLES) == _names()
        assert _names(GK.TRAINABLE_VARIABLES) == ["bn/beta", "bn/gamma"]
        assert _names("mine") == _names()
        assert len(v1.get_collection(GK.UPDATE_OPS)) == 2
        value = _run(out)
    expected = 2.0 * (x - x.mean(0)) / np.sqrt(x.var(0) + 0.001) + 0.5
    np.testing.assert_allclose(value, expected, atol=1e-4)


def test_batch_norm_as_a_normalizer_fn_under_arg_scope():
    with tf.Graph().as_default():
        with arg_scope([layers.conv2d], normalizer_fn=layers.batch_norm,
                       normalizer_params={"is_training": True, "decay": 0.9}):
            layers.conv2d(tf.constant(IMAGES), 3, [3, 3])
        assert _names() == ["Conv/weights", "Conv/BatchNorm/beta", "Conv/BatchNorm/moving_mean",
                            "Conv/BatchNorm/moving_variance"]


def test_layer_norm_numbers_and_names():
    with tf.Graph().as_default():
        out = layers.layer_norm(tf.constant(IMAGES))
        assert _names() == ["LayerNorm/beta", "LayerNorm/gamma"]
        value = _run(out)
    axes = (1, 2, 3)
    mean = IMAGES.mean(axes, keepdims=True)
    var = IMAGES.var(axes, keepdims=True)
    np.testing.assert_allclose(value, (IMAGES - mean) / np.sqrt(var + 1e-12), atol=1e-4)


# --------------------------------------------------------------------------------------
# Layer functions
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn, activation", [
    (layers.fully_connected, lambda z: np.maximum(z, 0)),
    (layers.relu, lambda z: np.maximum(z, 0)),
    (layers.relu6, lambda z: np.clip(z, 0, 6)),
    (layers.linear, lambda z: z),
])
def test_dense_layers_numbers_names_and_collections(fn, activation):
    x = RNG.normal(size=(5, 4)).astype(np.float32)
    with tf.Graph().as_default():
        out = fn(tf.constant(x), 3, biases_initializer=v1.constant_initializer(0.25))
        assert _names() == ["fully_connected/weights", "fully_connected/biases"]
        assert _names(GK.MODEL_VARIABLES) == _names()
        assert out.op.name.startswith("fully_connected/")
        value, weights = _run([out, v1.global_variables()[0]])
    np.testing.assert_allclose(value, activation(x @ weights + 0.25), rtol=1e-5, atol=1e-5)


def test_conv2d_pooling_flatten_numbers():
    with tf.Graph().as_default():
        images = tf.constant(IMAGES)
        conv = layers.conv2d(images, 3, [2, 2], padding="VALID", activation_fn=None)
        pooled = layers.max_pool2d(images, [2, 2])
        averaged = layers.avg_pool2d(images, [2, 2])
        flat = layers.flatten(images)
        assert _names() == ["Conv/weights", "Conv/biases"]
        conv_v, kernel, pooled_v, averaged_v, flat_v = _run(
            [conv, v1.global_variables()[0], pooled, averaged, flat])
    expected = np.zeros((6, 3, 3, 3), np.float32)
    for i in range(3):
        for j in range(3):
            patch = IMAGES[:, i:i + 2, j:j + 2, :]
            expected[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    np.testing.assert_allclose(conv_v, expected, rtol=1e-4, atol=1e-5)
    blocks = IMAGES.reshape(6, 2, 2, 2, 2, 2)  # batch, h/2, 2, w/2, 2, channels
    np.testing.assert_allclose(pooled_v, blocks.max(axis=(2, 4)))
    np.testing.assert_allclose(averaged_v, blocks.mean(axis=(2, 4)), rtol=1e-6)
    np.testing.assert_allclose(flat_v, IMAGES.reshape(6, -1))


def test_conv2d_transpose_and_separable_conv2d_names_and_shapes():
    with tf.Graph().as_default():
        images = tf.constant(IMAGES)
        up = layers.conv2d_transpose(images, 5, [3, 3], stride=2)
        sep = layers.separable_conv2d(images, 4, [3, 3], depth_multiplier=2)
        assert up.shape.as_list() == [6, 8, 8, 5]
        assert sep.shape.as_list() == [6, 4, 4, 4]
        assert _names() == ["Conv2d_transpose/weights", "Conv2d_transpose/biases",
                            "SeparableConv2d/depthwise_weights",
                            "SeparableConv2d/pointwise_weights", "SeparableConv2d/biases"]


def test_dropout_one_hot_stack_and_repeat():
    x = np.ones((200, 10), np.float32)
    with tf.Graph().as_default():
        kept = layers.dropout(tf.constant(x), keep_prob=0.5, is_training=True)
        same = layers.dropout(tf.constant(x), keep_prob=0.5, is_training=False)
        one_hot = layers.one_hot_encoding(tf.constant([0, 2, 1]), 3)
        layers.stack(tf.constant(x), layers.fully_connected, [4, 2])
        layers.repeat(tf.constant(IMAGES), 2, layers.conv2d, 2, [3, 3])
        assert _names() == [
            "Stack/fully_connected_1/weights", "Stack/fully_connected_1/biases",
            "Stack/fully_connected_2/weights", "Stack/fully_connected_2/biases",
            "Repeat/convolution2d_1/weights", "Repeat/convolution2d_1/biases",
            "Repeat/convolution2d_2/weights", "Repeat/convolution2d_2/biases"]
        kept_v, same_v, one_hot_v = _run([kept, same, one_hot])
    assert set(np.unique(kept_v)) <= {0.0, 2.0} and 0.3 < (kept_v > 0).mean() < 0.7
    np.testing.assert_array_equal(same_v, x)
    np.testing.assert_array_equal(one_hot_v, np.eye(3)[[0, 2, 1]])


def test_embed_sequence_and_bow_encoder():
    ids = np.array([[1, 2, 0], [3, 3, 3]], np.int64)
    with tf.Graph().as_default():
        seq = layers.embed_sequence(tf.constant(ids), vocab_size=4, embed_dim=2)
        unique = layers.embed_sequence(tf.constant(ids), scope="EmbedSequence", reuse=True,
                                       unique=True)
        bow = layers.bow_encoder(tf.constant(ids), 4, 2)
        bow_dense = layers.bow_encoder(tf.constant(ids), 4, 2, sparse_lookup=False,
                                       scope="dense")
        assert _names() == ["EmbedSequence/embeddings", "bow_encoder/embeddings",
                            "dense/embeddings"]
        assert _names(GK.MODEL_VARIABLES) == _names()
        seq_v, unique_v, bow_v, dense_v, table, bow_table, dense_table = _run(
            [seq, unique, bow, bow_dense] + v1.global_variables())
    np.testing.assert_allclose(seq_v, table[ids])
    np.testing.assert_allclose(unique_v, table[ids])
    # The sparse lookup drops id 0 (padding); the dense one averages it in.
    np.testing.assert_allclose(bow_v, [bow_table[[1, 2]].mean(0), bow_table[3]], rtol=1e-6)
    np.testing.assert_allclose(dense_v, dense_table[ids].mean(1), rtol=1e-6)


def test_embed_sequence_and_bow_encoder_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError) as info:
            layers.embed_sequence(tf.constant([[1]]), vocab_size=3)
        assert str(info.value) == ("Must specify vocab size and embedding dimension when "
                                   "not reusing. Got vocab_size=3 and embed_dim=None")
        with pytest.raises(ValueError, match=r"^Must specify vocab size and embedding "
                                             r"dimension$"):
            layers.bow_encoder(tf.constant([[1]]), 3, None)
        assert v1.global_variables() == []


# --------------------------------------------------------------------------------------
# Initializers, regularizers, summaries
# --------------------------------------------------------------------------------------
def test_initializers_follow_their_r115_distributions():
    with tf.Graph().as_default():
        xavier = v1.get_variable("x", [200, 300], initializer=layers.xavier_initializer())
        scaled = v1.get_variable("v", [400, 300],
                                 initializer=layers.variance_scaling_initializer())
        xavier_v, scaled_v = _run([xavier, scaled])
    limit = np.sqrt(6.0 / (200 + 300))  # uniform on [-limit, limit]
    assert np.abs(xavier_v).max() <= limit and np.abs(xavier_v).max() > 0.95 * limit
    np.testing.assert_allclose(xavier_v.std(), limit / np.sqrt(3), rtol=0.02)
    # r1.15 default: factor 2.0, FAN_IN, truncated normal with stddev sqrt(1.3*2/fan_in).
    stddev = np.sqrt(1.3 * 2.0 / 400)
    assert np.abs(scaled_v).max() <= 2 * stddev + 1e-6
    np.testing.assert_allclose(scaled_v.std(), stddev * 0.88, rtol=0.03)  # truncation


def test_regularizers_and_apply_regularization():
    w_value = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    with tf.Graph().as_default():
        w = tf.constant(w_value)
        l1 = layers.l1_regularizer(0.1)(w)
        l2 = layers.l2_regularizer(0.1)(w)
        l1_l2 = layers.l1_l2_regularizer(0.1, 0.2)(w)
        total = layers.apply_regularization(layers.l2_regularizer(0.5), [w, 2 * w])
        assert v1.get_collection(GK.REGULARIZATION_LOSSES) == [total]
        values = _run([l1, l2, l1_l2, total])
    sq = np.sum(w_value ** 2)
    np.testing.assert_allclose(values, [0.1 * np.abs(w_value).sum(), 0.1 * sq / 2,
                                        0.1 * np.abs(w_value).sum() + 0.2 * sq / 2,
                                        0.5 * sq / 2 + 0.5 * 4 * sq / 2], rtol=1e-6)
    with pytest.raises(ValueError, match=r"^Setting a scale less than 0 on a regularizer: -1$"):
        layers.l1_regularizer(-1.0)
    with pytest.raises(ValueError, match=r"^scale cannot be an integer: 1$"):
        layers.l2_regularizer(1)
    with pytest.raises(ValueError, match=r"^No weights to regularize\.$"):
        layers.apply_regularization(layers.l2_regularizer(0.5), [])


def test_summaries():
    with tf.Graph().as_default():
        x = tf.nn.relu(tf.constant([1.0, -1.0, 3.0]), name="act")
        layers.summarize_activation(x)
        layers.summarize_tensors([tf.constant(2.0, name="scalar")])
        tags = sorted(s.op.name for s in v1.get_collection(GK.SUMMARIES))
    # r1.15: a Relu also gets its zero fraction; a scalar gets "<op name>_summary".
    assert tags == ["act/activation", "act/zeros", "scalar_summary"]


# --------------------------------------------------------------------------------------
# Through the hook: tf.contrib.layers, tf.contrib.slim, tf.contrib.training
# --------------------------------------------------------------------------------------
@pytest.fixture
def contrib():
    """tf.contrib as a TF 1.x script sees it (the hook installed for this test)."""
    from compat_learn import _alias

    _alias.install()
    import tensorflow.contrib as contrib_module
    yield contrib_module
    _alias._uninstall_for_tests()


def test_contrib_layers_names_and_deep_paths_are_compat_learns(contrib):
    import tensorflow.contrib.layers.python.layers.optimizers as optimizers_module
    from tensorflow.contrib.layers.python.layers import layers as layers_module

    assert optimizers_module is __import__("compat_learn.layers.optimizers").layers.optimizers
    assert layers_module.batch_norm is layers.batch_norm is contrib.layers.batch_norm
    for name in layers.__all__:
        assert getattr(contrib.layers, name) is getattr(layers, name), name
    assert contrib.layers.summaries is layers.summaries


def test_slim_batch_norm_and_optimize_loss_run_through_the_subtree(contrib):
    slim = contrib.slim
    with tf.Graph().as_default():
        images = tf.constant(IMAGES)
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": True, "fused": False}):
            net = slim.conv2d(images, 2, [3, 3], scope="conv")
        loss = tf.reduce_mean(tf.square(net))
        train_op = slim.optimize_loss(loss, v1.train.get_or_create_global_step(), 0.1, "SGD")
        assert len(v1.get_collection(GK.UPDATE_OPS)) == 2
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            first, second = sess.run(train_op), sess.run(train_op)
    assert second < first


def test_contrib_training_gradient_helpers(contrib):
    training = contrib.training
    with tf.Graph().as_default():
        dense = v1.get_variable("dense", initializer=tf.constant([3.0, 4.0]))
        table = v1.get_variable("table", initializer=tf.ones([3, 2]))
        loss = tf.reduce_sum(dense * dense) + tf.reduce_sum(tf.nn.embedding_lookup(table, [0, 0]))
        grads = v1.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
        clipped = training.clip_gradient_norms(grads, 5.0)
        multiplied = training.multiply_gradients(grads, {dense: 2.0, table: 3.0})
        summaries = training.add_gradients_summaries(grads)
        assert sorted(s.op.name for s in summaries) == [
            "dense_gradient", "dense_gradient_norm", "table_gradient", "table_gradient_norm"]
        clipped_v, multiplied_v = _run([[tf.convert_to_tensor(g) for g, _ in clipped],
                                        [tf.convert_to_tensor(g) for g, _ in multiplied]])
    dense_grad = np.array([6.0, 8.0])  # norm 10 -> clipped to norm 5
    np.testing.assert_allclose(clipped_v[0], dense_grad / 2, rtol=1e-6)
    np.testing.assert_allclose(multiplied_v[0], dense_grad * 2, rtol=1e-6)
    # IndexedSlices (the path tf-slim could not take on TF 2.15): row 0 looked up twice,
    # values of norm 2 < 5 are left as they are.
    table_grad = np.array([[2.0, 2.0], [0.0, 0.0], [0.0, 0.0]])
    np.testing.assert_allclose(clipped_v[1], table_grad, rtol=1e-6)
    np.testing.assert_allclose(multiplied_v[1], 3 * table_grad, rtol=1e-6)


def test_slim_nets_by_r115s_deep_path_build_with_batch_norm(contrib):
    import tf_slim
    from tensorflow.contrib.slim.python.slim import learning
    from tensorflow.contrib.slim.python.slim.nets import resnet_utils, resnet_v1

    assert learning is tf_slim.learning
    with tf.Graph().as_default():
        with contrib.slim.arg_scope(resnet_utils.resnet_arg_scope()):
            block = resnet_v1.resnet_v1_block("block1", base_depth=2, num_units=1, stride=1)
            logits, _ = resnet_v1.resnet_v1(tf.constant(IMAGES), [block], num_classes=2,
                                            is_training=True, include_root_block=False,
                                            scope="resnet")
        names = _names()
        assert "resnet/block1/unit_1/bottleneck_v1/conv1/BatchNorm/moving_mean" in names
        assert "resnet/logits/weights" in names
        assert len(v1.get_collection(GK.UPDATE_OPS)) == 8  # 4 batch_norms (3 + shortcut)
        assert _run(logits).shape == (6, 1, 1, 2)


# --------------------------------------------------------------------------------------
# compat_learn.slim: tf-slim's view of TF 2.15, TensorFlow itself untouched
# --------------------------------------------------------------------------------------
def test_patch_changes_tf_slims_aliases_only_not_tensorflow():
    import sys

    from compat_learn import slim as slim_patch

    ops_module = sys.modules["tensorflow.python.framework.ops"]
    slim_optimizers = sys.modules["tf_slim.layers.optimizers"]
    slim_patch.patch_tf_slim()  # idempotent
    assert not hasattr(ops_module, "Tensor")  # TF 2.15's own module is as it was
    view = slim_optimizers.ops
    assert view is not ops_module and view.Tensor is tf.Tensor
    assert view.IndexedSlices is tf.IndexedSlices
    assert view.GraphKeys is ops_module.GraphKeys  # everything else is the real module
    assert sys.modules["tf_slim.ops.variables"].variable_scope.variable is v1.Variable


def test_a_missing_tf_slim_names_the_install_command(monkeypatch):
    import sys

    from compat_learn import slim as slim_patch

    monkeypatch.setitem(sys.modules, "tf_slim", None)
    with pytest.raises(ImportError) as info:
        slim_patch.patch_tf_slim()
    assert "pip install 'compat_learn[tf]'" in str(info.value)
