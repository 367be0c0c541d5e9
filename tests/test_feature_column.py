"""tf.contrib.layers feature columns (r1.15 contrib/layers/python/layers/feature_column.py).

Hashes: pinned values from r1.15's sparse_feature_cross_op_test.py and an independent
Python recomputation of r1.15's kernel (sparse_feature_cross_kernel.cc: HashCombine
for hash_key=None, FingerprintCat64 with a key). Messages, keys and parsing specs:
r1.15's, pinned below.
"""

import numpy as np
import pytest

from compat_learn import _tf, layers
from compat_learn.layers import embedding_ops
from compat_learn.layers import feature_column as fc

tf = _tf.tf
v1 = tf.compat.v1
M64 = (1 << 64) - 1

# r1.15 sparse_feature_cross_op_test.py: three one-feature columns
# 'batch1-FC1-F1' x 'batch1-FC2-F1' x 'batch1-FC3-F1'.
R115_V1_ZERO_BUCKETS = 3735511728867393167
R115_V1_100_BUCKETS = 74
R115_V2_ZERO_BUCKETS = 1971693436396284976
R115_V2_100_BUCKETS = 83


def _run(fetches, feed_dict=None):
    with v1.Session() as sess:
        sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
        return sess.run(fetches, feed_dict)


def _sparse(rows, dtype=None):
    indices, values = [], []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            indices.append([r, c])
            values.append(value)
    width = max((len(row) for row in rows), default=0)
    return tf.SparseTensor(tf.constant(indices, tf.int64, [len(indices), 2]),
                           tf.constant(values, dtype), [len(rows), width])


# ---------------------------------------------------------------- independent hash oracle

def _fingerprint64(text):
    # TF's farmhash Fingerprint64 (the same function r1.15's kernel called).
    data = tf.fingerprint(tf.constant([text]), method="farmhash64").numpy().tobytes()
    return int(np.frombuffer(data, "<u8")[0])


def _signed(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def _hash_combine_v1(a, b):
    a, b = _signed(a), _signed(b)
    return (a ^ (b + 0x9E3779B97F4A7800 + (a << 10) + (a >> 4))) & M64


def _shift_mix(v):
    return v ^ (v >> 47)


def _fingerprint_cat64(fp1, fp2):
    mul = 0xC6A4A7935BD1E995
    result = fp1 ^ mul
    result ^= (_shift_mix((fp2 * mul) & M64) * mul) & M64
    result = (result * mul) & M64
    result = (_shift_mix(result) * mul) & M64
    return _shift_mix(result)


def _cross_oracle(feature_lists, num_buckets, hash_key=None):
    """r1.15's hashed cross of one row: product order, last feature fastest."""
    def feature(value):
        return _fingerprint64(value) if isinstance(value, str) else value & M64
    out = [[]]
    for features in feature_lists:
        out = [prefix + [f] for prefix in out for f in features]
    values = []
    for combo in out:
        h = hash_key if hash_key else 0xDECAFCAFFE
        for f in combo:
            h = _fingerprint_cat64(h, feature(f)) if hash_key else _hash_combine_v1(h, feature(f))
        values.append(h % (num_buckets if num_buckets > 0 else (1 << 63) - 1))
    return values


def test_hash_oracle_reproduces_r115_pinned_values():
    features = [["batch1-FC1-F1"], ["batch1-FC2-F1"], ["batch1-FC3-F1"]]
    assert _cross_oracle(features, 0) == [R115_V1_ZERO_BUCKETS]
    assert _cross_oracle(features, 100) == [R115_V1_100_BUCKETS]
    assert _cross_oracle(features, 0, hash_key=0xDECAFCAFFE) == [R115_V2_ZERO_BUCKETS]
    assert _cross_oracle(features, 100, hash_key=0xDECAFCAFFE) == [R115_V2_100_BUCKETS]


@pytest.mark.parametrize("num_buckets,hash_key,expected", [
    (0, None, R115_V1_ZERO_BUCKETS), (100, None, R115_V1_100_BUCKETS),
    (0, embedding_ops.SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY, R115_V2_ZERO_BUCKETS),
    (100, embedding_ops.SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY, R115_V2_100_BUCKETS),
])
def test_sparse_feature_cross_gives_r115s_hashes(num_buckets, hash_key, expected):
    with tf.Graph().as_default():
        inputs = [_sparse([["batch1-FC1-F1"]]), _sparse([["batch1-FC2-F1"]]), _sparse([["batch1-FC3-F1"]])]
        out = _run(embedding_ops.sparse_feature_cross(inputs, hashed_output=True, num_buckets=num_buckets,
                                                      hash_key=hash_key))
    assert out.values.tolist() == [expected]
    assert out.indices.tolist() == [[0, 0]]


def test_v1_hash_collides_on_the_low_bits_as_in_r115():
    # r1.15 test_hashed_output_v1_has_collision: 359 and 359 + 1024 cross alike.
    with tf.Graph().as_default():
        cross = embedding_ops.sparse_feature_cross(
            [tf.constant([list(range(10))] * 2), tf.constant([[359], [359 + 1024]])],
            hashed_output=True, num_buckets=1024)
        dense = _run(tf.sparse.to_dense(cross))
    assert (dense[0] == dense[1]).all()


@pytest.mark.parametrize("hash_key", [None, 0xDECAFCAFFE])
def test_crossed_column_bucket_ids_are_r115s(hash_key):
    # Raw strings of a keys column (not its ids), integers, and bucket ids of a
    # 2-dimensional bucketized column (offset by length per dimension), crossed in the
    # column name order ("a" < "b_bucketized" < "n").
    a = fc.sparse_column_with_keys("a", ["x", "y"])
    n = fc.sparse_column_with_integerized_feature("n", 50)
    b = fc.bucketized_column(fc.real_valued_column("b", dimension=2), [0.0, 10.0])
    crossed = fc.crossed_column([n, b, a], hash_bucket_size=1000, hash_key=hash_key)
    assert [c.name for c in crossed.columns] == ["a", "b_bucketized", "n"]
    assert crossed.name == "a_X_b_bucketized_X_n"
    with tf.Graph().as_default():
        features = {"a": _sparse([["x", "zz"], ["y"]]), "n": _sparse([[7], [-3]], tf.int64),
                    "b": tf.constant([[-1.0, 5.0], [20.0, 0.0]])}
        out = _run(layers.transform_features(features, [crossed])[crossed])
    # bucket ids: row0 [0, 1] -> [0, 3 + 1]; row1 [2, 1] -> [2, 3 + 1]
    row0 = _cross_oracle([["x", "zz"], [0, 4], [7]], 1000, hash_key)
    row1 = _cross_oracle([["y"], [2, 4], [-3]], 1000, hash_key)
    assert out.values.tolist() == row0 + row1
    assert out.indices.tolist() == [[0, i] for i in range(4)] + [[1, i] for i in range(2)]
    assert out.dense_shape.tolist() == [2, 4]


# ---------------------------------------------------------------- keys, names, specs

def test_keys_and_names_are_r115s():
    # r1.15: key is str(self), or str(self) without initializer / normalizer; these
    # strings order every consumer's columns.
    hashed = fc.sparse_column_with_hash_bucket("a", 10)
    assert hashed.key == ("_SparseColumnHashed(column_name='a', is_integerized=False, bucket_size=10, "
                          "lookup_config=None, combiner='sum', dtype=tf.string)")
    emb = fc.embedding_column(hashed, 3)
    assert emb.key == ("_EmbeddingColumn(sparse_id_column={}, dimension=3, combiner=mean, "
                       "ckpt_to_load_from=None, tensor_name_in_ckpt=None, shared_embedding_name=None, "
                       "shared_vocab_size=None, max_norm=None, trainable=True)".format(hashed))
    real = fc.real_valued_column("r", normalizer=lambda x: x)
    assert real.key == "_RealValuedColumn(column_name=r, dimension=1, default_value=None, dtype=<dtype: 'float32'>)"
    assert emb.name == "a_embedding"
    assert fc.one_hot_column(hashed).name == "a_one_hot"
    assert fc.bucketized_column(real, [1.0]).name == "r_bucketized"
    assert fc.weighted_sparse_column(hashed, "w").name == "a_weighted_by_w"
    assert fc.scattered_embedding_column("s", 10, 2, 1).name == "s_scattered_embedding"


def test_shared_embedding_columns_default_name_and_size():
    cols = [fc.sparse_column_with_hash_bucket(name, 10) for name in ("d", "b", "a", "c")]
    shared = fc.shared_embedding_columns(cols, dimension=4)
    assert isinstance(shared, tuple)
    assert {c.shared_embedding_name for c in shared} == {"a_b_c_plus_1_others_shared_embedding"}
    assert [c.name for c in shared] == ["d_shared_embedding", "b_shared_embedding", "a_shared_embedding",
                                        "c_shared_embedding"]
    assert all(c.length == 10 for c in shared)
    single = fc.shared_embedding_columns(cols[:1], dimension=4)
    assert isinstance(single, list) and single[0].shared_embedding_name is None


def test_create_feature_spec_for_parsing_and_placeholders():
    a = fc.sparse_column_with_keys("a", ["x"])
    real = fc.real_valued_column("r", dimension=2, default_value=1)
    ints = fc.real_valued_column("i", default_value=3, dtype=tf.int64)
    columns = [fc.crossed_column([a, fc.bucketized_column(real, [0.0])], 10),
               fc.embedding_column(fc.weighted_sparse_column(a, "w"), 2), ints]
    spec = fc.create_feature_spec_for_parsing(columns)
    assert spec == {"a": tf.io.VarLenFeature(tf.string), "w": tf.io.VarLenFeature(tf.float32),
                    "r": tf.io.FixedLenFeature([2], tf.float32, [1.0, 1.0]),
                    "i": tf.io.FixedLenFeature([1], tf.int64, [3])}
    assert fc.create_feature_spec_for_parsing({"k": real}) == {"r": spec["r"]}
    # TF core takes them too (r1.15's columns were core v1 columns).
    assert v1.feature_column.make_parse_example_spec(columns) == spec
    with tf.Graph().as_default():
        holders = fc.make_place_holder_tensors_for_base_features(columns)
        assert isinstance(holders["a"], tf.SparseTensor)
        assert holders["r"].op.name == "Placeholder_r"
        assert holders["r"].shape.as_list() == [None, 2]
        assert holders["i"].dtype == tf.int64


# ---------------------------------------------------------------- transformations

def test_sparse_columns_map_values_to_r115s_ids(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("x\ny\nz\n")
    keys = fc.sparse_column_with_keys("k", ["x", "y"])
    keys_default = fc.sparse_column_with_keys("kd", [10, 20], default_value=5, dtype=tf.int64)
    integer = fc.sparse_column_with_integerized_feature("n", 4)
    vocab_col = fc.sparse_column_with_vocabulary_file("v", str(vocab), num_oov_buckets=0, vocab_size=2)
    hashed_int = fc.sparse_column_with_hash_bucket("h", 7, dtype=tf.int64)
    weighted = fc.weighted_sparse_column(keys, "w", dtype=tf.int32)
    with tf.Graph().as_default():
        features = {"k": tf.constant([["x", ""], ["q", "y"]]),  # dense: "" is dropped
                    "kd": _sparse([[20, 99]], tf.int64), "n": _sparse([[9]], tf.int64),
                    "v": _sparse([["y", "z"]]), "h": _sparse([[12345]], tf.int64),
                    "w": _sparse([[2, 3], [4]], tf.int32)}
        out = _run(layers.transform_features(
            features, [keys, keys_default, integer, vocab_col, hashed_int, weighted]))
        expected_hash = _run(tf.strings.to_hash_bucket_fast(["12345"], 7))
    assert out[keys].values.tolist() == [0, -1, 1]
    assert out[keys].indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert out[keys_default].values.tolist() == [1, 5]
    assert out[integer].values.tolist() == [1]
    assert out[vocab_col].values.tolist() == [1, -1]
    assert out[hashed_int].values.tolist() == expected_hash.tolist()
    ids, weights = out[weighted]
    assert ids.values.tolist() == [0, -1, 1]
    assert weights.values.dtype == np.float32 and weights.values.tolist() == [2.0, 3.0, 4.0]


def test_dense_integer_input_keeps_id_zero():
    # r1.15 sparsifies a dense id tensor ignoring -1, not 0.
    col = fc.sparse_column_with_integerized_feature("n", 4)
    with tf.Graph().as_default():
        out = _run(layers.transform_features({"n": tf.constant([[0, -1], [3, 2]], tf.int64)}, [col])[col])
    assert out.values.tolist() == [0, 3, 2]


# ---------------------------------------------------------------- bad input (r1.15 messages)

@pytest.mark.parametrize("build,error,message", [
    (lambda: fc.real_valued_column("r", dimension=None), TypeError,
     "dimension must be an integer. Use the _real_valued_var_len_column for variable length "
     "features.dimension: None, column_name: r"),
    (lambda: fc.real_valued_column("r", dimension=2.0), TypeError,
     "dimension must be an integer. dimension: 2.0, column_name: r"),
    (lambda: fc.real_valued_column("r", dimension=0), ValueError,
     "dimension must be greater than 0. dimension: 0, column_name: r"),
    (lambda: fc.real_valued_column("r", dtype=tf.string), ValueError,
     "dtype must be convertible to float. dtype: <dtype: 'string'>, column_name: r"),
    (lambda: fc.real_valued_column("r", dimension=2, default_value=[1.0]), ValueError,
     "The length of default_value must be equal to dimension. default_value: [1.0], dimension: 2, "
     "column_name: r"),
    (lambda: fc.real_valued_column("r", default_value=1.5, dtype=tf.int64), TypeError,
     "default_value must be compatible with dtype. default_value: 1.5, dtype: <dtype: 'int64'>, "
     "column_name: r"),
    (lambda: fc.sparse_column_with_hash_bucket("a", 0), ValueError,
     "bucket_size must be at least 1. bucket_size: 0, column_name: a"),
    (lambda: fc.sparse_column_with_hash_bucket("a", 5, dtype=tf.float32), ValueError,
     "dtype must be string or integer. dtype: <dtype: 'float32'>, column_name: a"),
    (lambda: fc.sparse_column_with_hash_bucket("a", 5, hash_keys=[[1]]), ValueError,
     "Each element of hash_keys must be a pair of integers."),
    (lambda: fc.sparse_column_with_integerized_feature("a", 5, dtype=tf.string), ValueError,
     "dtype must be an integer if is_integerized is True. dtype: <dtype: 'string'>, column_name: a."),
    (lambda: fc.sparse_column_with_vocabulary_file("a", "f"), ValueError,
     "vocab_size should be defined. column_name: a"),
    (lambda: fc.weighted_sparse_column(fc.sparse_column_with_hash_bucket("a", 5), "w", tf.string),
     ValueError, "dtype is not convertible to float. Given <dtype: 'string'>"),
    (lambda: fc.bucketized_column(fc.sparse_column_with_hash_bucket("a", 5), [1]), TypeError,
     "source_column must be an instance of _RealValuedColumn. source_column: "),
    (lambda: fc.bucketized_column(fc.real_valued_column("r"), []), ValueError,
     "boundaries must be a non-empty list or tuple. boundaries: []"),
    (lambda: fc.bucketized_column(fc.real_valued_column("r"), [2, 1]), ValueError,
     "boundaries must be a sorted list. boundaries: [2, 1]"),
    (lambda: fc.crossed_column([fc.sparse_column_with_hash_bucket("a", 5), fc.real_valued_column("r")], 10),
     TypeError, "columns must be a set of _SparseColumn, _CrossedColumn, or _BucketizedColumn instances. "
     "(column _RealValuedColumn(column_name='r'"),
    (lambda: fc.crossed_column([fc.sparse_column_with_hash_bucket("a", 5)], 10), ValueError,
     "columns must contain at least 2 elements. columns: "),
    (lambda: fc.crossed_column([fc.sparse_column_with_hash_bucket(n, 5) for n in "ab"], 1), ValueError,
     "hash_bucket_size must be at least 2. hash_bucket_size: 1"),
    (lambda: fc.embedding_column(fc.sparse_column_with_hash_bucket("a", 5), 2, initializer=3), ValueError,
     "initializer must be callable if specified. Embedding of column_name: a"),
    (lambda: fc.embedding_column(fc.sparse_column_with_hash_bucket("a", 5), 2, ckpt_to_load_from="c"),
     ValueError, "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."),
    (lambda: fc.scattered_embedding_column("s", 0, 2, 1), ValueError,
     "Dimension and size must be greater than 0. dimension: 2, size: 0, column_name: s"),
    (lambda: fc.scattered_embedding_column("s", 5, 2, 1, combiner="max"), ValueError,
     "Combiner must be one of 'mean', 'sqrtn' or 'sum'. combiner: max, column_name: s"),
    (lambda: fc.shared_embedding_columns("ab", 2), TypeError,
     "sparse_id_columns must be a non-string sequence (ex: list or tuple) instead of type <class 'str'>."),
    (lambda: fc.shared_embedding_columns([], 2), ValueError,
     "The input sparse_id_columns should have at least one element."),
    (lambda: fc.shared_embedding_columns([fc.real_valued_column("r")], 2), TypeError,
     "Elements of sparse_id_columns must be _SparseColumn or _WeightedSparseColumn, but "),
    (lambda: fc.shared_embedding_columns([fc.sparse_column_with_hash_bucket("a", 5),
                                          fc.sparse_column_with_hash_bucket("b", 6)], 2), ValueError,
     "The input sparse id columns are not compatible."),
    (lambda: fc.create_feature_spec_for_parsing(["a"]), TypeError,
     "feature_columns should only contain instances of _FeatureColumn. Given column is a"),
])
def test_bad_columns_raise_r115s_errors(build, error, message):
    with pytest.raises(error) as info:
        build()
    assert str(info.value).startswith(message)


def test_columns_are_immutable_and_comparable():
    a1 = fc.sparse_column_with_hash_bucket("a", 10)
    a2 = fc.sparse_column_with_hash_bucket("a", 10)
    assert a1 == a2 and hash(a1) == hash(a2)
    assert fc.bucketized_column(fc.real_valued_column("r"), [1, 1, 2]).boundaries == (1, 2)
    with pytest.raises(AttributeError):
        a1.bucket_size = 3
