"""tf.contrib.layers feature-column consumers (r1.15 feature_column_ops.py).

Variable names and shapes: the constants below, read from r1.15's code (scope
``input_from_feature_columns`` / ``weighted_sum_from_feature_columns`` /
``joint_weighted_sum_from_feature_columns``, a sub-scope per column named
``column.name``, ``weights`` / ``weight`` / ``bias_weight`` / ``linear_weights``,
columns sorted by key). Numbers: numpy over the variables' own values.
"""

import os

import numpy as np
import pytest

from compat_learn import _tf, layers
from compat_learn.layers import feature_column as fc
from compat_learn.layers import feature_column_ops as fco

tf = _tf.tf
v1 = tf.compat.v1

KEYS = ["x", "y", "z"]
# r1.15 input layer of [embedding(k, 2), one_hot(k), real r (dim 2), bucketized s]:
# key order _BucketizedColumn < _EmbeddingColumn < _OneHotColumn < _RealValuedColumn.
R115_INPUT_LAYER_VARIABLES = {"input_from_feature_columns/k_embedding/weights": [3, 2]}
R115_WEIGHTED_SUM_VARIABLES = {
    "weighted_sum_from_feature_columns/k/weights": [3, 2],
    "weighted_sum_from_feature_columns/k_weighted_by_w/weights": [3, 2],
    "weighted_sum_from_feature_columns/r/weight": [2, 2],
    "weighted_sum_from_feature_columns/s_bucketized/weights": [3, 2],
    "weighted_sum_from_feature_columns/bias_weight": [2],
}


def _columns():
    k = fc.sparse_column_with_keys("k", KEYS)
    r = fc.real_valued_column("r", dimension=2)
    s = fc.bucketized_column(fc.real_valued_column("s"), [0.0, 1.0])
    return k, r, s


def _features():
    return {"k": tf.SparseTensor([[0, 0], [0, 1], [2, 0]], ["x", "z", "y"], [3, 2]),
            "w": tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [2.0, 0.5, 3.0], [3, 2]),
            "r": tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
            "s": tf.constant([[-1.0], [0.5], [7.0]])}


def _variables():
    return {v.op.name: v.shape.as_list() for v in v1.global_variables()}


def _session():
    sess = v1.Session()
    sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
    return sess


def _randomize(sess, seed=0):
    rng = np.random.RandomState(seed)
    for var in v1.global_variables():
        var.load(rng.normal(size=var.shape.as_list()).astype(np.float32), sess)


# ids of k per row: row0 [x, z] -> [0, 2]; row1 empty; row2 [y] -> [1]
K_IDS = [[0, 2], [], [1]]
S_BUCKETS = [0, 1, 2]


def test_input_from_feature_columns_names_order_and_numbers():
    k, _, s = _columns()
    with tf.Graph().as_default():
        cols_to_outs = {}
        out = layers.input_from_feature_columns(
            _features(), [fc.real_valued_column("r", dimension=2), fc.one_hot_column(k),
                          fc.embedding_column(k, 2), s], cols_to_outs=cols_to_outs)
        assert _variables() == R115_INPUT_LAYER_VARIABLES
        assert v1.get_collection(v1.GraphKeys.MODEL_VARIABLES)[0].op.name == \
            "input_from_feature_columns/k_embedding/weights"
        assert out.shape.as_list() == [3, 3 + 2 + 3 + 2]
        with _session() as sess:
            got, emb = sess.run([out, v1.global_variables()[0]])
            outs = sess.run({c.name: t for c, t in cols_to_outs.items()})
    expected = []
    for row in range(3):
        bucket = np.eye(3)[S_BUCKETS[row]]
        ids = K_IDS[row]
        embedding = emb[ids].mean(axis=0) if ids else np.zeros(2)  # combiner "mean"; empty row: zeros
        one_hot = np.bincount(ids, minlength=3)
        expected.append(np.concatenate([bucket, embedding, one_hot, [1.0 + 4 * row / 2, 2.0 + 4 * row / 2]]))
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-6)
    assert set(outs) == {"r", "k_one_hot", "k_embedding", "s_bucketized"}


def test_embedding_default_initializer_is_r115s():
    # r1.15: truncated normal with stddev 1/sqrt(vocabulary size), not 1/sqrt(dimension).
    col = fc.embedding_column(fc.sparse_column_with_hash_bucket("a", 400), 50)
    assert col.initializer.stddev == pytest.approx(1 / 20)
    with tf.Graph().as_default():
        v1.set_random_seed(1)
        layers.input_from_feature_columns({"a": tf.SparseTensor([[0, 0]], ["q"], [1, 1])}, [col])
        with _session() as sess:
            values = sess.run(v1.global_variables()[0])
    assert abs(values.std() - 0.05 * 0.88) < 0.005  # a 2-sigma truncated normal's std
    assert np.abs(values).max() <= 0.1


def test_weighted_sum_names_and_numbers():
    k, r, s = _columns()
    weighted = fc.weighted_sparse_column(k, "w")
    with tf.Graph().as_default():
        logits, column_to_variable, bias = layers.weighted_sum_from_feature_columns(
            _features(), [r, k, s, weighted], num_outputs=2)
        assert _variables() == R115_WEIGHTED_SUM_VARIABLES
        with _session() as sess:
            assert not sess.run(logits).any()  # every variable starts at zero
            _randomize(sess)
            got, values, b = sess.run([logits, {c.name: var for c, var in column_to_variable.items()}, bias])
    r_in = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    weights = [[2.0, 0.5], [], [3.0]]
    expected = r_in @ values["r"][0] + b
    for row in range(3):
        expected[row] += values["s_bucketized"][0][S_BUCKETS[row]]
        expected[row] += values["k"][0][K_IDS[row]].sum(axis=0)  # combiner "sum"
        expected[row] += sum(w * values["k_weighted_by_w"][0][i] for i, w in zip(K_IDS[row], weights[row]))
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_joint_weighted_sum_one_variable():
    k, _, _ = _columns()
    n = fc.sparse_column_with_integerized_feature("n", 4)
    with tf.Graph().as_default():
        features = dict(_features(), n=tf.SparseTensor([[1, 0]], tf.constant([3], tf.int64), [3, 1]))
        logits, variable, bias = layers.joint_weighted_sum_from_feature_columns(features, [n, k], num_outputs=1)
        assert _variables() == {"joint_weighted_sum_from_feature_columns/linear_weights/weights": [7, 1],
                                "joint_weighted_sum_from_feature_columns/bias_weight": [1]}
        with _session() as sess:
            _randomize(sess, seed=1)
            got, w, b = sess.run([logits, variable[0], bias])
    # key order: n ("_SparseColumnIntegerized(...") then k ("_SparseColumnKeys(..."): k's ids
    # shift by n's 4.
    expected = np.array([w[[4 + 0, 4 + 2]].sum(0), w[3], w[4 + 1]]) + b
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_partitioner_gives_part_0_variables():
    # r1.15's canned estimators wrapped these calls in a partitioned variable scope.
    k, r, _ = _columns()
    with tf.Graph().as_default():
        with v1.variable_scope("dnn", partitioner=v1.fixed_size_partitioner(1)):
            out = layers.input_from_feature_columns(_features(), [fc.embedding_column(k, 2), r])
        with v1.variable_scope("linear", partitioner=v1.fixed_size_partitioner(1)):
            layers.weighted_sum_from_feature_columns(_features(), [k, r], num_outputs=1)
        assert _variables() == {"dnn/input_from_feature_columns/k_embedding/weights/part_0": [3, 2],
                                "linear/weighted_sum_from_feature_columns/k/weights/part_0": [3, 1],
                                "linear/weighted_sum_from_feature_columns/r/weight/part_0": [2, 1],
                                "linear/weighted_sum_from_feature_columns/bias_weight/part_0": [1]}
        with _session() as sess:
            assert sess.run(out).shape == (3, 4)


def test_shared_and_scattered_embeddings():
    a = fc.sparse_column_with_keys("a", KEYS)
    b = fc.sparse_column_with_keys("b", KEYS)
    shared = fc.shared_embedding_columns([a, b], dimension=2, combiner="sum")
    scattered = fc.scattered_embedding_column("c", size=10, dimension=3, hash_key=0xDECAFCAFFE)
    with tf.Graph().as_default():
        features = {"a": tf.SparseTensor([[0, 0]], ["y"], [1, 1]), "b": tf.SparseTensor([[0, 0]], ["z"], [1, 1]),
                    "c": tf.SparseTensor([[0, 0]], ["w"], [1, 1])}
        out = layers.input_from_feature_columns(features, list(shared) + [scattered])
        # r1.15: the shared variable is created once, named after the first column's scope.
        assert _variables() == {"input_from_feature_columns/a_shared_embedding/a_b_shared_embedding": [3, 2],
                                "input_from_feature_columns/c_scattered_embedding/weights": [10]}
        with _session() as sess:
            got, (table, params) = sess.run([out, v1.global_variables()])
    # scattered: component i of "w" is params[cross(i, "w") % 10] (r1.15's FingerprintCat64 cross)
    with tf.Graph().as_default():
        ids = tf.sparse.cross_hashed([tf.constant([[0, 1, 2]], tf.int64), tf.constant([["w"]])],
                                     num_buckets=10, hash_key=0xDECAFCAFFE)
        with v1.Session() as sess:
            ids = sess.run(ids).values.reshape(-1)
    np.testing.assert_allclose(got[0], np.concatenate([table[1], table[2], params[ids]]), rtol=1e-6)


def test_sequence_input_from_feature_columns():
    real = fc.real_valued_column("r", dimension=2)
    with tf.Graph().as_default():
        seq = tf.reshape(tf.range(12, dtype=tf.float32), [2, 3, 2])
        out = layers.sequence_input_from_feature_columns({"r": seq}, [real])
        assert out.shape.as_list() == [2, 3, 2]
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), np.arange(12).reshape(2, 3, 2))
    with pytest.raises(ValueError, match=r"^FeatureColumn type _CrossedColumn is not currently supported for "
                                         r"sequence data.$"):
        layers.sequence_input_from_feature_columns({}, [fc.crossed_column(_columns()[::2], 10)])
    # r1.15 reports the first forbidden column found walking down from the given ones.
    with pytest.raises(ValueError, match=r"^Column k_X_s_bucketized is of type _CrossedColumn, which is not "
                                         r"currently supported for sequences.$"):
        layers.sequence_input_from_feature_columns({}, [fc.embedding_column(fc.crossed_column(
            _columns()[::2], 10), 2)])


# ---------------------------------------------------------------- bad input (r1.15 messages)

def test_columns_that_do_not_fit_a_consumer_raise_r115s_errors():
    k, r, s = _columns()
    crossed = fc.crossed_column([k, s], 10)
    with tf.Graph().as_default():
        with pytest.raises(ValueError) as info:
            layers.input_from_feature_columns(_features(), [k])
        assert str(info.value) == (
            "Error creating input layer for column: k.\nSparseColumn is not supported in DNN. Please use "
            "embedding_column or one_hot_column. column: {}, No deep embedding lookup arguments for column "
            "{}.".format(k, k))
        with pytest.raises(ValueError, match=r"^Error creating input layer for column: k_X_s_bucketized.\n"
                                             r"CrossedColumn is not supported in DNN. Please use embedding_column."):
            layers.input_from_feature_columns(_features(), [crossed])
        embedded = fc.embedding_column(k, 2)
        with pytest.raises(ValueError) as info:
            layers.weighted_sum_from_feature_columns(_features(), [embedded], 1)
        assert str(info.value) == (
            "Error creating weighted sum for column: k_embedding.\nColumn {} is not supported in linear models. "
            "Please use sparse_column.".format(embedded))
        with pytest.raises(NotImplementedError, match=r"^Real-valued columns are not supported. Use "
                                                      r"weighted_sum_from_feature_columns instead, or bucketize "
                                                      r"these columns.$"):
            layers.joint_weighted_sum_from_feature_columns(_features(), [r], 1)
        with pytest.raises(ValueError, match=r"^Expected feature_columns to be iterable, found dict.$"):
            layers.input_from_feature_columns(_features(), {"r": r})
        with pytest.raises(ValueError, match=r"^Duplicate feature column key found for column: k_embedding. This "
                                             r"usually means that the column is almost identical to another "
                                             r"column, and one must be discarded.$"):
            layers.input_from_feature_columns(_features(), [fc.embedding_column(k, 2), fc.embedding_column(k, 2)])
        # r1.15: a missing raw feature of a cross is a ValueError, of any other column a KeyError.
        missing = fc.crossed_column([k, fc.sparse_column_with_hash_bucket("q", 5)], 10)
        with pytest.raises(ValueError, match=r"^features dictionary doesn't contain key \(q\)$"):
            layers.weighted_sum_from_feature_columns(_features(), [missing], 1)
        with pytest.raises(KeyError, match=r"'s'"):
            layers.input_from_feature_columns({"r": tf.zeros([1, 2])}, [s])
        with pytest.raises(ValueError, match=r"^Error while processing column r. Rank of input Tensor \(1\) "
                                             r"should be the same as output_rank \(3\). For example, sequence"):
            layers.sequence_input_from_feature_columns({"r": tf.zeros([2])}, [r])


# ---------------------------------------------------------------- parsing, inference, export

def _example(k, r, s):
    feature = {"k": tf.train.Feature(bytes_list=tf.train.BytesList(value=[v.encode() for v in k])),
               "r": tf.train.Feature(float_list=tf.train.FloatList(value=r)),
               "s": tf.train.Feature(float_list=tf.train.FloatList(value=[s]))}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def test_parse_feature_columns_from_examples():
    k, r, s = _columns()
    with tf.Graph().as_default():
        serialized = tf.constant([_example(["z", "x"], [1.0, 2.0], 0.5), _example([], [3.0, 4.0], -2.0)])
        parsed = layers.parse_feature_columns_from_examples(serialized, [fc.one_hot_column(k), r, s])
        with _session() as sess:
            out = sess.run({"k": parsed[k], "s": parsed[s], "r": parsed["r"]})
    assert out["k"].values.tolist() == [2, 0]
    assert out["s"].tolist() == [[1], [0]]
    np.testing.assert_array_equal(out["r"], [[1.0, 2.0], [3.0, 4.0]])


def test_infer_real_valued_columns():
    with tf.Graph().as_default():
        assert fco.infer_real_valued_columns(v1.placeholder(tf.float64, [None, 4])) == [
            fc.real_valued_column("", dimension=4, dtype=tf.float64)]
        assert fco.infer_real_valued_columns({"a": tf.zeros([5], tf.int64),
                                              "b": tf.zeros([5, 2, 3])}) == [
            fc.real_valued_column("a", dtype=tf.int64), fc.real_valued_column("b", dimension=6)]
        with pytest.raises(ValueError, match=r"^SparseTensor is not supported for auto detection"):
            fco.infer_real_valued_columns({"x": tf.SparseTensor([[0, 0]], [1.0], [1, 1])})
        with pytest.raises(ValueError, match=r"^Non integer or non floating types"):
            fco.infer_real_valued_columns({"x": tf.constant(["a"])})


@pytest.mark.integration
def test_make_parsing_export_strategy_serves_contrib_columns(tmp_path):
    """A contrib Estimator on feature columns, exported with r1.15's parsing strategy."""
    from compat_learn import estimators
    from compat_learn.utils import saved_model_export_utils as smeu

    k, r, s = _columns()
    columns = [fc.embedding_column(k, 2), r, s]

    def model_fn(features, labels, mode):
        net = layers.input_from_feature_columns(features, columns)
        logits, _, _ = layers.weighted_sum_from_feature_columns(features, [k, s], num_outputs=1)
        predictions = tf.squeeze(logits + tf.reduce_sum(net, 1, keepdims=True), 1)
        loss = train_op = None
        if mode != estimators.ModeKeys.INFER:
            loss = tf.reduce_mean(tf.square(predictions - labels))
            train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss, v1.train.get_global_step())
        return estimators.ModelFnOps(mode, predictions={"y": predictions}, loss=loss, train_op=train_op)

    serialized = [_example(["z", "x"], [1.0, 2.0], 0.5), _example(["y"], [3.0, 4.0], -2.0)]

    def train_input_fn():
        features = v1.io.parse_example(tf.constant(serialized), fc.create_feature_spec_for_parsing(columns))
        return features, tf.constant([1.0, 2.0])

    est = estimators.Estimator(model_fn=model_fn, model_dir=str(tmp_path / "model"))
    est.fit(input_fn=train_input_fn, steps=2)
    expected = [p["y"] for p in est.predict(input_fn=train_input_fn, as_iterable=True)]
    strategy = smeu.make_parsing_export_strategy(columns, exports_to_keep=None)
    export_dir = strategy.export(est, str(tmp_path / "export"))
    with tf.Graph().as_default(), v1.Session() as sess:
        meta = v1.saved_model.loader.load(sess, ["serve"], os.fsdecode(export_dir))
        signature = meta.signature_def["serving_default"]
        inputs = {signature.inputs[name].name: serialized for name in signature.inputs}
        got = sess.run(signature.outputs[next(iter(signature.outputs))].name, inputs)
    np.testing.assert_allclose(np.reshape(got, -1), expected, rtol=1e-5)


# ---------------------------------------------------------------- through the hook

@pytest.fixture
def contrib():
    """tf.contrib as a TF 1.x script sees it (the hook installed for this test)."""
    from compat_learn import _alias

    _alias.install()
    import tensorflow.contrib as contrib_module
    yield contrib_module
    _alias._uninstall_for_tests()


def test_contrib_layers_serves_the_feature_columns(contrib):
    from tensorflow.contrib.layers.python.layers import feature_column as deep_fc
    from tensorflow.contrib.layers.python.layers import feature_column_ops as deep_ops

    assert deep_fc is fc and deep_ops is fco
    tcl = contrib.layers
    assert tcl.real_valued_column is fc.real_valued_column
    assert tcl.input_from_feature_columns is fco.input_from_feature_columns
    assert tcl.SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY == 0xDECAFCAFFE
    # The iris quickstart's column: one real_valued_column("") over a bare array x.
    column = tcl.real_valued_column("", dimension=4)
    with tf.Graph().as_default():
        net = tcl.input_from_feature_columns({"": tf.constant([[1, 2, 3, 4]], tf.float64)}, [column])
        with v1.Session() as sess:
            assert sess.run(net).tolist() == [[1.0, 2.0, 3.0, 4.0]]


def test_parse_feature_columns_from_sequence_examples():
    example = tf.train.SequenceExample()
    example.context.feature["c"].float_list.value.append(2.5)
    for value in (1.0, 3.0):
        example.feature_lists.feature_list["r"].feature.add().float_list.value.append(value)
    context_col = fc.real_valued_column("c", default_value=0.0)
    # r1.15 drops a sequence column's default value and allows missing steps instead.
    sequence_col = fc.real_valued_column("r", default_value=0.0)
    with tf.Graph().as_default():
        context, sequence = layers.parse_feature_columns_from_sequence_examples(
            tf.constant([example.SerializeToString()]), [context_col], [sequence_col])
        with v1.Session() as sess:
            context, sequence = sess.run([context, sequence])
    assert context["c"].tolist() == [2.5]
    assert sequence["r"].tolist() == [[1.0], [3.0]]
    with tf.Graph().as_default(), pytest.raises(ValueError, match=r"^serialized must contain as single sequence "
                                                                 r"example. Batching must be done after parsing"):
        layers.parse_feature_columns_from_sequence_examples(tf.constant(["a", "b"]), [], [])


def test_weighted_one_hot_and_embedding_from_checkpoint(tmp_path):
    k, _, _ = _columns()
    weighted = fc.weighted_sparse_column(k, "w")
    saved = np.arange(6, dtype=np.float32).reshape(3, 2)
    with tf.Graph().as_default():
        table = v1.get_variable("old/table", initializer=saved)
        with v1.Session() as sess:
            sess.run(table.initializer)
            path = v1.train.Saver([table]).save(sess, str(tmp_path / "model.ckpt"))
    emb = fc.embedding_column(k, 2, combiner="sum", ckpt_to_load_from=path, tensor_name_in_ckpt="old/table")
    with tf.Graph().as_default():
        out = layers.input_from_feature_columns(_features(), [fc.one_hot_column(weighted), emb])
        with _session() as sess:
            got = sess.run(out)
    # key order: _EmbeddingColumn < _OneHotColumn. One-hot of a weighted column puts
    # each id's weight in its slot (r1.15's sparse_merge).
    expected_emb = np.array([saved[0] + saved[2], [0.0, 0.0], saved[1]])
    expected_hot = np.array([[2.0, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, 3.0, 0.0]])
    np.testing.assert_allclose(got, np.concatenate([expected_emb, expected_hot], 1))
