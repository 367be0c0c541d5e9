"""tf.contrib.learn.io's queue-based readers (r1.15 learn_io/graph_io.py) on TF 2.15.

Small TFRecord (one GZIP) and text files of real tf.train.Examples are read back in a
tf.compat.v1 graph with the queue runners started, as an Estimator's MonitoredSession
starts them; the expected values come from the records the test wrote.
"""

import inspect
import json
import random

import numpy as np
import pytest

import compat_learn
from compat_learn import _alias, _tf, learn_io
from compat_learn.layers import feature_column as contrib_fc
from compat_learn.learn_io import graph_io

tf = _tf.tf
v1 = tf.compat.v1

# r1.15 messages (learn_io/graph_io.py), pinned.
MSG_NO_FILES_MATCH = "No files match %s."
MSG_NO_FILES_GIVEN = "No files given to dequeue_examples."
MSG_BATCH_SIZE = "Invalid batch_size %s, with queue_capacity %s."
MSG_QUEUE_CAPACITY = "Invalid queue_capacity %s."
MSG_NUM_THREADS = "Invalid num_threads %s."
MSG_NUM_EPOCHS = "Invalid num_epochs %s."
MSG_READ_BATCH_SIZE = "Invalid read_batch_size %s."

# r1.15 signatures: (argument, default) in order; _ for no default.
_ = inspect.Parameter.empty
_EXAMPLES_ARGS = [("file_pattern", _), ("batch_size", _), ("reader", _),
                  ("randomize_input", True), ("num_epochs", None), ("queue_capacity", 10000),
                  ("num_threads", 1), ("read_batch_size", 1), ("parse_fn", None),
                  ("name", None), ("seed", None)]
_FEATURES_ARGS = [("file_pattern", _), ("batch_size", _), ("features", _), ("reader", _),
                  ("randomize_input", True), ("num_epochs", None), ("queue_capacity", 10000)]
R115_SIGNATURES = {
    "read_batch_examples": _EXAMPLES_ARGS,
    "read_keyed_batch_examples": _EXAMPLES_ARGS,
    "read_keyed_batch_examples_shared_queue": _EXAMPLES_ARGS,
    "read_batch_features": _FEATURES_ARGS + [
        ("feature_queue_capacity", 100), ("reader_num_threads", 1),
        ("num_enqueue_threads", 2), ("parse_fn", None), ("name", None),
        ("read_batch_size", None)],
    "read_keyed_batch_features": _FEATURES_ARGS + [
        ("reader_num_threads", 1), ("feature_queue_capacity", 100),
        ("num_enqueue_threads", 2), ("parse_fn", None), ("name", None),
        ("read_batch_size", None)],
    "read_keyed_batch_features_shared_queue": _FEATURES_ARGS + [
        ("reader_num_threads", 1), ("feature_queue_capacity", 100),
        ("num_queue_runners", 2), ("parse_fn", None), ("name", None)],
    "read_batch_record_features": [
        ("file_pattern", _), ("batch_size", _), ("features", _), ("randomize_input", True),
        ("num_epochs", None), ("queue_capacity", 10000), ("reader_num_threads", 1),
        ("name", "dequeue_record_examples")],
    "queue_parsed_features": [
        ("parsed_features", _), ("keys", None), ("feature_queue_capacity", 100),
        ("num_enqueue_threads", 2), ("name", None)],
}
# r1.15 contrib/learn/__init__.py's @@ list: every reader but queue_parsed_features.
R115_TOP_LEVEL = sorted(set(R115_SIGNATURES) - {"queue_parsed_features"})

SPEC = {"id": tf.io.FixedLenFeature([1], tf.int64),
        "x": tf.io.FixedLenFeature([2], tf.float32),
        "tags": tf.io.VarLenFeature(tf.string)}


def _tags(i):
    return [b"t%d" % j for j in range(i % 3)]


def _example(i):
    return tf.train.Example(features=tf.train.Features(feature={
        "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5, -i])),
        "tags": tf.train.Feature(bytes_list=tf.train.BytesList(value=_tags(i))),
    })).SerializeToString()


def _write(path, ids, compression=None):
    with tf.io.TFRecordWriter(str(path), options=compression) as writer:
        for i in ids:
            writer.write(_example(i))
    return str(path)


@pytest.fixture
def files(tmp_path):
    """Two TFRecord files (ids 0-4, 5-6) and a GZIP one (ids 10-12)."""
    return {"a": _write(tmp_path / "part-0.tfrecord", range(5)),
            "b": _write(tmp_path / "part-1.tfrecord", range(5, 7)),
            "gz": _write(tmp_path / "gz-0.tfrecord.gz", range(10, 13), "GZIP"),
            "pattern": str(tmp_path / "part-*.tfrecord"),
            "dir": tmp_path}


def gzip_reader_fn():
    # The Cloud ML samples' reader function.
    return v1.TFRecordReader(options=v1.python_io.TFRecordOptions(
        compression_type=v1.python_io.TFRecordCompressionType.GZIP))


def _run_to_end(fetches, limit=50):
    """Runs `fetches` until OutOfRangeError (which must come) in a Session with the
    local and global variables initialised and the queue runners started."""
    results = []
    with v1.Session() as sess:
        sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
        coord = v1.train.Coordinator()
        threads = v1.train.start_queue_runners(sess, coord=coord)
        try:
            with pytest.raises(tf.errors.OutOfRangeError):
                for _ in range(limit):
                    results.append(sess.run(fetches))
        finally:
            coord.request_stop()
            coord.join(threads)
    return results


def _ids(serialized):
    return [tf.train.Example.FromString(s).features.feature["id"].int64_list.value[0]
            for s in serialized]


def _op_types(graph, names):
    return {name: graph.get_operation_by_name(name).type for name in names}


# ---------------------------------------------------------------------------------------
# Where the names are, and their signatures.
# ---------------------------------------------------------------------------------------
def test_signatures_are_r115s():
    for name, expected in R115_SIGNATURES.items():
        params = inspect.signature(getattr(learn_io, name)).parameters
        assert [(p.name, p.default) for p in params.values()] == expected, name


def test_served_at_r115s_paths():
    import compat_learn.learn_io.graph_io as module

    assert sorted(set(graph_io.__all__) - {"KEY_FEATURE_NAME"}) == sorted(R115_SIGNATURES)
    _alias.install()
    try:
        contrib_learn = __import__("tensorflow.contrib.learn", fromlist=["io"])
        deep = __import__("tensorflow.contrib.learn.python.learn.learn_io.graph_io",
                          fromlist=["read_batch_features"])
        assert deep is module
        for name in R115_SIGNATURES:
            assert getattr(contrib_learn.io, name) is getattr(module, name)
        for name in R115_TOP_LEVEL:
            assert getattr(contrib_learn, name) is getattr(compat_learn, name) is \
                getattr(module, name)
        assert not hasattr(contrib_learn, "queue_parsed_features")
    finally:
        _alias._uninstall_for_tests()


# ---------------------------------------------------------------------------------------
# Examples: order, batches, keys, the end of the input, r1.15's graph.
# ---------------------------------------------------------------------------------------
def test_read_batch_examples_one_epoch_in_file_order_then_out_of_range(files):
    with tf.Graph().as_default() as graph:
        examples = learn_io.read_batch_examples(
            files["pattern"], 3, v1.TFRecordReader, randomize_input=False, num_epochs=1,
            queue_capacity=10, name="my_batch")
        assert examples.name == "my_batch:1"
        assert examples.shape.as_list() == [None]  # num_epochs: a smaller last batch
        assert _op_types(graph, ["my_batch/file_name_queue", "my_batch/file_name_queue/input",
                                 "my_batch/read/TFRecordReaderV2", "my_batch/fifo_queue",
                                 "my_batch"]) == {
            "my_batch/file_name_queue": "FIFOQueueV2",
            "my_batch/file_name_queue/input": "Const",
            "my_batch/read/TFRecordReaderV2": "TFRecordReaderV2",
            "my_batch/fifo_queue": "FIFOQueueV2", "my_batch": "QueueDequeueUpToV2"}
        # the epoch counter is a local variable, which tf.estimator initialises
        assert [v.op.name for v in v1.local_variables()] == [
            "my_batch/file_name_queue/limit_epochs/epochs"]
        assert v1.global_variables() == []
        capacity = graph.get_operation_by_name("my_batch/fifo_queue").get_attr("capacity")
        assert capacity == 10
        batches = _run_to_end(examples)
    assert [_ids(b) for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]


def test_read_keyed_batch_examples_text_lines_read_up_to(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("A\nB\nC\nD\nE\n")
    with tf.Graph().as_default():
        keys, lines = learn_io.read_keyed_batch_examples(
            [str(path)], 3, v1.TextLineReader, randomize_input=False, num_epochs=1,
            queue_capacity=10, read_batch_size=10)
        batches = _run_to_end([keys, lines])
    name = str(path).encode()
    assert [list(k) for k, _ in batches] == [[name + b":1", name + b":2", name + b":3"],
                                             [name + b":4", name + b":5"]]
    assert [list(v) for _, v in batches] == [[b"A", b"B", b"C"], [b"D", b"E"]]


def test_forever_batches_are_full_and_shuffled_epochs_cover_every_record(files):
    with tf.Graph().as_default() as graph:
        examples = learn_io.read_batch_examples(
            [files["a"], files["b"]], 4, v1.TFRecordReader, queue_capacity=20, seed=3)
        assert examples.shape.as_list() == [4]  # no num_epochs: full batches only
        assert examples.op.type == "QueueDequeueManyV2"
        shuffle_queue = graph.get_operation_by_name("read_batch_examples/random_shuffle_queue")
        # r1.15: min_after_dequeue = max(capacity - 3 * batch_size, batch_size)
        assert shuffle_queue.get_attr("min_after_dequeue") == 8
        assert v1.local_variables() == []
        with v1.train.MonitoredSession() as sess:
            ids = [i for _ in range(7) for i in _ids(sess.run(examples))]
    counts = np.bincount(ids, minlength=7)
    assert counts.sum() == 28 and counts.min() >= 1  # 4 epochs' worth over 7 records


def test_parse_fn_dict_gives_keys_apart(files):
    with tf.Graph().as_default():
        keys, parsed = learn_io.read_keyed_batch_examples(
            files["a"], 2, v1.TFRecordReader, randomize_input=False, num_epochs=1,
            queue_capacity=10, parse_fn=lambda record: tf.io.parse_single_example(
                record, {"id": tf.io.FixedLenFeature([], tf.int64)}))
        assert sorted(parsed) == ["id"]  # the key travelled as graph_io.KEY_FEATURE_NAME
        batches = _run_to_end([keys, parsed["id"]])
    assert [list(ids) for _, ids in batches] == [[0, 1], [2, 3], [4]]
    assert all(k.startswith(files["a"].encode() + b":") for b, _ in batches for k in b)


def test_filter_fn_drops_records_before_batching(tmp_path):
    # r1.15's private helper takes filter_fn(keys, records) -> mask; no public reader
    # passes one.
    ages = [2, 0, 1, 0, 3, 5]
    path = tmp_path / "ages.json"
    path.write_text("".join(
        json.dumps({"features": {"feature": {"age": {"int64_list": {"value": [a]}}}}}) + "\n"
        for a in ages))
    spec = {"age": tf.io.FixedLenFeature([], tf.int64)}

    def filter_fn(keys, records):
        del keys
        return v1.parse_example(v1.decode_json_example(records), spec)["age"] < 2

    with tf.Graph().as_default():
        keys, records = graph_io._read_keyed_batch_examples_helper(
            str(path), 2, v1.TextLineReader, randomize_input=False, num_epochs=1,
            read_batch_size=2, queue_capacity=4, filter_fn=filter_fn)
        batches = _run_to_end([keys, records])
    name = str(path).encode()
    assert [list(k) for k, _ in batches] == [[name + b":2", name + b":3"], [name + b":4"]]
    assert [[json.loads(r)["features"]["feature"]["age"]["int64_list"]["value"][0] for r in b]
            for _, b in batches] == [[0, 1], [0]]


# ---------------------------------------------------------------------------------------
# Features: parsing, sparse features, the features queue, GZIP.
# ---------------------------------------------------------------------------------------
def test_read_batch_features_gzip_two_epochs_with_sparse_features(files):
    columns = [contrib_fc.real_valued_column("x", dimension=2),
               contrib_fc.sparse_column_with_keys("tags", keys=["t0", "t1"])]
    spec = contrib_fc.create_feature_spec_for_parsing(columns)
    spec["id"] = tf.io.FixedLenFeature([1], tf.int64)
    with tf.Graph().as_default():
        features = learn_io.read_batch_features(
            str(files["dir"] / "gz-*.tfrecord.gz"), 2, spec, gzip_reader_fn, randomize_input=True,
            num_epochs=2, queue_capacity=16)
        assert isinstance(features["tags"], tf.SparseTensor)
        assert features["x"].shape.as_list() == [None, 2]
        batches = _run_to_end(features)
    ids = [int(i) for b in batches for i in b["id"].ravel()]
    assert sorted(ids) == [10, 10, 11, 11, 12, 12]
    assert sum(len(b["id"]) == 2 for b in batches) >= 2  # only the last may be short
    for batch in batches:
        np.testing.assert_allclose(batch["x"], [[i * 0.5, -i] for i in batch["id"].ravel()])
        tags = batch["tags"]
        rows = [[v for (r, _), v in zip(tags.indices, tags.values) if r == row]
                for row in range(len(batch["id"]))]
        assert rows == [_tags(i) for i in batch["id"].ravel()]


def test_read_batch_record_features_names_and_static_shapes(files):
    with tf.Graph().as_default() as graph:
        features = learn_io.read_batch_record_features(
            files["pattern"], 3, {"x": SPEC["x"]}, randomize_input=False,
            queue_capacity=12, reader_num_threads=2, name="my_batch")
        assert features["x"].name == "my_batch/fifo_queue_1_Dequeue:0"
        assert features["x"].shape.as_list() == [3, 2]
        assert _op_types(graph, ["my_batch/read/TFRecordReaderV2", "my_batch/read/TFRecordReaderV2_1",
                                 "my_batch/fifo_queue", "my_batch/fifo_queue_1", "my_batch"]) == {
            "my_batch/read/TFRecordReaderV2": "TFRecordReaderV2",
            "my_batch/read/TFRecordReaderV2_1": "TFRecordReaderV2",  # one per thread
            "my_batch/fifo_queue": "FIFOQueueV2", "my_batch/fifo_queue_1": "FIFOQueueV2",
            "my_batch": "QueueDequeueManyV2"}
        [runner] = [qr for qr in v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS)
                    if qr.queue.name == "my_batch/fifo_queue_1"]
        assert len(runner.enqueue_ops) == 2  # num_enqueue_threads
        with v1.train.MonitoredSession() as sess:
            first = sess.run(features["x"])
    # two readers and two parsing threads: records of either file, in any order
    ids = (first[:, 0] * 2).astype(int)
    np.testing.assert_allclose(first, [[i * 0.5, -i] for i in ids])
    assert set(ids) <= set(range(7))


def test_read_keyed_batch_features_json_lines_keep_order(tmp_path):
    path = tmp_path / "examples.json"
    path.write_text("".join(
        json.dumps({"features": {"feature": {"age": {"int64_list": {"value": [i]}}}}}) + "\n"
        for i in range(7)))
    with tf.Graph().as_default():
        keys, features = learn_io.read_keyed_batch_features(
            str(path), 3, {"age": tf.io.FixedLenFeature([], tf.int64)}, v1.TextLineReader,
            randomize_input=False, num_epochs=1, queue_capacity=10, num_enqueue_threads=1,
            parse_fn=v1.decode_json_example)
        batches = _run_to_end([keys, features["age"]])
    assert [list(age) for _, age in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [k for b, _ in batches for k in b] == [b"%s:%d" % (str(path).encode(), i)
                                                  for i in range(1, 8)]


def test_queue_parsed_features_round_trips_dense_sparse_and_keys():
    with tf.Graph().as_default():
        no_keys, first = learn_io.queue_parsed_features({"test": tf.constant([1, 2, 3])})
        assert no_keys is None
        single = first["test"]
        sparse = tf.SparseTensor([[0, 0], [1, 2]], ["a", "b"], [2, 3])
        keys, queued = learn_io.queue_parsed_features(
            {"dense": tf.constant([[1.0], [2.0]]), "sparse": sparse}, keys=tf.constant(["k0", "k1"]),
            feature_queue_capacity=7, num_enqueue_threads=3, name="parsed")
        assert queued["dense"].shape.as_list() == [2, 1]
        runners = {qr.queue.name: qr for qr in v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS)}
        assert len(runners["parsed/fifo_queue"].enqueue_ops) == 3
        assert runners["parsed/fifo_queue"].queue.queue_ref.op.get_attr("capacity") == 7
        with v1.train.MonitoredSession() as sess:
            out_single, out_keys, out = sess.run([single, keys, queued])
    assert list(out_single) == [1, 2, 3]
    assert list(out_keys) == [b"k0", b"k1"]
    np.testing.assert_array_equal(out["dense"], [[1.0], [2.0]])
    np.testing.assert_array_equal(out["sparse"].indices, [[0, 0], [1, 2]])
    assert list(out["sparse"].values) == [b"a", b"b"]
    assert list(out["sparse"].dense_shape) == [2, 3]


# ---------------------------------------------------------------------------------------
# The shared queue: file names dealt from variables, once each.
# ---------------------------------------------------------------------------------------
def _text_files(tmp_path, contents):
    paths = []
    for i, text in enumerate(contents):
        path = tmp_path / ("temp_file%05d" % i)
        path.write_text(text)
        paths.append(str(path))
    return paths


def test_shared_queue_reads_each_file_once(tmp_path):
    paths = _text_files(tmp_path, ["ABC\n", "DEF\nGHK\n"])
    with tf.Graph().as_default() as graph:
        keys, lines = learn_io.read_keyed_batch_examples_shared_queue(
            paths, 1, v1.TextLineReader, randomize_input=False, num_epochs=1,
            queue_capacity=5, name="my_batch")
        assert lines.name == "my_batch:1"
        assert graph.get_operation_by_name("my_batch/file_name_queue/fifo_queue").type == \
            "FIFOQueueV2"
        assert sorted(v.op.name for v in v1.global_variables()) == [
            "obtain_next/obtain_next_counter", "obtain_next/obtain_next_expanded_list",
            "obtain_next/obtain_next_filename_counter"]
        batches = _run_to_end([keys, lines])
    assert [list(b) for _, b in batches] == [[b"ABC"], [b"DEF"], [b"GHK"]]
    assert [list(k) for k, _ in batches] == [[b"%s:%d" % (p.encode(), i)] for p, i in
                                             [(paths[0], 1), (paths[1], 1), (paths[1], 2)]]


def test_shared_queue_deals_r115s_shuffled_order_for_a_seed(tmp_path):
    paths = _text_files(tmp_path, ["a\n", "b\n", "c\n", "d\n"])
    pattern = str(tmp_path / "temp_file*")
    # r1.15 input_pipeline_ops._create_list: random.seed(seed), then one shuffle of the
    # (unsorted, randomized) glob result per epoch.
    rng, names, expected = random.Random(7), tf.io.gfile.glob(pattern), []
    for _ in range(2):
        rng.shuffle(names)
        expected.extend(name.encode() for name in names)
    state = random.getstate()
    with tf.Graph().as_default():
        learn_io.read_keyed_batch_examples_shared_queue(
            pattern, 1, v1.TextLineReader, num_epochs=2, queue_capacity=5, seed=7)
        [runner] = [qr for qr in v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS)
                    if qr.queue.name.endswith("file_name_queue/fifo_queue")]
        dequeue = runner.queue.dequeue()
        with v1.Session() as sess:
            sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
            dealt = []
            for _ in expected:
                sess.run(runner.enqueue_ops[0])
                dealt.append(sess.run(dequeue))
            with pytest.raises(tf.errors.OutOfRangeError):  # every name dealt
                sess.run(runner.enqueue_ops[0])
    assert dealt == expected and sorted(set(dealt)) == [p.encode() for p in paths]
    assert random.getstate() == state  # the program's own random state is left alone


@pytest.mark.integration
def test_workers_on_one_server_share_the_file_names(tmp_path):
    """r1.15's multiple-workers test: a second graph on the same server reads on from
    the variables the first one left, without initialising them."""
    paths = _text_files(tmp_path, ["ABC\n", "DEF\n", "GHI\n", "JKL\n"])
    server = v1.train.Server.create_local_server()

    def read_one(sess, initialise):
        _, lines = learn_io.read_keyed_batch_examples_shared_queue(
            paths, 1, v1.TextLineReader, randomize_input=False, num_epochs=1,
            queue_capacity=5, name="my_batch")
        if initialise:
            sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
        runners = {qr.name: qr for qr in v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS)}
        for name in ("my_batch/file_name_queue/fifo_queue", "my_batch/fifo_queue"):
            for op in runners[name].enqueue_ops:
                sess.run(op)
        return list(sess.run(lines))

    with tf.Graph().as_default(), v1.Session(server.target) as sess:
        assert read_one(sess, initialise=True) == [b"ABC"]
    with tf.Graph().as_default(), v1.Session(server.target) as sess:
        assert read_one(sess, initialise=False) == [b"DEF"]


# ---------------------------------------------------------------------------------------
# Bad arguments: r1.15's errors, before anything is built.
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"file_pattern": "INVALID"}, None),
    ({"file_pattern": []}, MSG_NO_FILES_GIVEN),
    ({"batch_size": None}, MSG_BATCH_SIZE % (None, 1234)),
    ({"batch_size": -1}, MSG_BATCH_SIZE % (-1, 1234)),
    ({"batch_size": 1234}, MSG_BATCH_SIZE % (1234, 1234)),
    ({"batch_size": 1235}, MSG_BATCH_SIZE % (1235, 1234)),
    ({"queue_capacity": None}, MSG_QUEUE_CAPACITY % None),
    ({"queue_capacity": 0}, MSG_QUEUE_CAPACITY % 0),
    ({"num_threads": None}, MSG_NUM_THREADS % None),
    ({"num_threads": -1}, MSG_NUM_THREADS % -1),
    ({"num_epochs": -1}, MSG_NUM_EPOCHS % -1),
    ({"num_epochs": 0}, MSG_NUM_EPOCHS % 0),
    ({"read_batch_size": 0}, MSG_READ_BATCH_SIZE % 0),
])
def test_bad_arguments_raise_r115s_errors_and_build_nothing(files, kwargs, message):
    arguments = dict(file_pattern=files["pattern"], batch_size=17, reader=v1.TFRecordReader,
                     randomize_input=False, queue_capacity=1234, num_threads=1)
    arguments.update(kwargs)
    if message is None:
        arguments["file_pattern"] = str(files["dir"] / "INVALID*")
        message = MSG_NO_FILES_MATCH % arguments["file_pattern"]
    with tf.Graph().as_default() as graph:
        with pytest.raises(ValueError) as raised:
            learn_io.read_batch_examples(**arguments)
        assert str(raised.value) == message
        assert graph.get_operations() == []


def test_read_batch_size_known_only_when_running_is_a_type_error(files):
    # r1.15 failed too (batch_join took the comparison as a Python bool); this says why.
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match=r"^`read_batch_size` must be an int or a constant"):
            learn_io.read_batch_examples(files["pattern"], 2, v1.TFRecordReader,
                                         read_batch_size=v1.placeholder(tf.int64, []))


def test_eager_call_says_where_it_works(files):
    with pytest.raises(RuntimeError, match=r"compat-learn run --tf1"):
        learn_io.read_batch_features(files["pattern"], 2, SPEC, v1.TFRecordReader)


# ---------------------------------------------------------------------------------------
# End to end: a canned contrib estimator trained until num_epochs runs out.
# ---------------------------------------------------------------------------------------
def _separable(path, n, seed):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, size=(n, 2)).astype(np.float32)
    labels = (x[:, 0] + 2 * x[:, 1] > 0).astype(np.int64)
    with tf.io.TFRecordWriter(str(path), options="GZIP") as writer:
        for row, label in zip(x, labels):
            writer.write(tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=row)),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
            })).SerializeToString())
    return x, labels


@pytest.mark.integration
def test_linear_classifier_fits_until_the_epochs_run_out(tmp_path):
    _separable(tmp_path / "train.tfrecord.gz", 120, seed=0)
    x_eval, y_eval = _separable(tmp_path / "eval.tfrecord.gz", 50, seed=1)
    columns = [contrib_fc.real_valued_column("x", dimension=2)]

    def input_fn(pattern, num_epochs, randomize_input):
        def _input_fn():
            spec = contrib_fc.create_feature_spec_for_parsing(columns)
            spec["label"] = tf.io.FixedLenFeature([1], tf.int64)
            features = compat_learn.read_batch_features(
                str(tmp_path / pattern), 16, spec, reader=gzip_reader_fn,
                randomize_input=randomize_input, num_epochs=num_epochs)
            labels = features.pop("label")
            return features, labels
        return _input_fn

    classifier = compat_learn.LinearClassifier(
        feature_columns=columns, model_dir=str(tmp_path / "model"),
        optimizer=v1.train.GradientDescentOptimizer(0.5))
    classifier.fit(input_fn=input_fn("train*", num_epochs=4, randomize_input=True))
    # r1.15: fit ends at the OutOfRangeError: 4 * 120 records in batches of 16
    assert classifier.get_variable_value("global_step") == 30
    result = classifier.evaluate(input_fn=input_fn("eval*", 1, False), steps=None)
    weights = classifier.get_variable_value("linear/x/weight")
    bias = classifier.get_variable_value("linear/bias_weight")
    predicted = (x_eval @ weights + bias).ravel() > 0
    # evaluate saw every eval record once: its accuracy is the weights' accuracy
    assert result["accuracy"] == pytest.approx((predicted == y_eval).mean(), abs=1e-6)
    assert result["accuracy"] > 0.8  # about half of each class
