"""`tf.contrib.learn.io`'s queue-based readers: batches of `Example` records from files.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.graph_io``. Native TF2:
``tf.data.TFRecordDataset(...).batch(...)`` with ``tf.io.parse_example``, or
``tf.data.experimental.make_batched_features_dataset``.

The graph is r1.15's, with its op names and scopes: a queue of file names
(``string_input_producer``, or a one-slot queue fed round robin from a list kept in
variables for the ``*_shared_queue`` functions), one reader per thread, a batching
queue (``batch_join``, or ``shuffle_batch_join`` when the input is randomized) and, for
the ``*_features`` functions, a queue of parsed features. Every queue runner goes to
the ``QUEUE_RUNNERS`` collection, which a ``MonitoredSession`` (so every Estimator)
starts. ``num_epochs`` counts epochs in a local variable: run
``tf.compat.v1.local_variables_initializer()`` (Estimators do), and the batches end
with ``OutOfRangeError`` after the last record.

These functions build graph ops, so they run in a graph: in an Estimator's input_fn,
in a ``with tf.Graph().as_default():`` block, or in a script run with
``compat-learn run --tf1``.
"""

import random

from compat_learn import _deprecation

__all__ = [
    "KEY_FEATURE_NAME",
    "queue_parsed_features",
    "read_batch_examples",
    "read_batch_features",
    "read_batch_record_features",
    "read_keyed_batch_examples",
    "read_keyed_batch_examples_shared_queue",
    "read_keyed_batch_features",
    "read_keyed_batch_features_shared_queue",
]

# r1.15: the key under which a dict-returning parse_fn's record keys travel through
# the batching queue (batch_join takes a list of tuples or a list of dicts, not both).
KEY_FEATURE_NAME = "__key__"

_EXAMPLES_TF2 = "tf.data.TFRecordDataset(...).batch(...)"
_FEATURES_TF2 = "tf.data.experimental.make_batched_features_dataset"
_INT64_MAX = 2 ** 63 - 1


def _tf():
    from compat_learn import _tf as tf_module
    return tf_module.tf


def _warn(name, replacement):
    # stacklevel 3: the user's line that called the public function calling this.
    _deprecation.warn_deprecated("tf.contrib.learn.io." + name, replacement, stacklevel=3)


def _require_graph(tf):
    if tf.executing_eagerly():
        raise RuntimeError(
            "tf.contrib.learn.io's readers build queues and queue runners, which run only "
            "in a graph, and TensorFlow 2 executes eagerly here. Call them in an "
            "Estimator's input_fn or in a `with tf.Graph().as_default():` block, or run "
            "the script with `compat-learn run --tf1`. Native TF2: tf.data.")


# --------------------------------------------------------------------------------------
# Public functions (r1.15 argument order and defaults; each warns once, then builds).
# --------------------------------------------------------------------------------------
def read_batch_examples(file_pattern, batch_size, reader, randomize_input=True,
                        num_epochs=None, queue_capacity=10000, num_threads=1,
                        read_batch_size=1, parse_fn=None, name=None, seed=None):
    """Adds ops that read, queue and batch `Example` records; returns the batch.

    Args:
      file_pattern: a glob pattern, or a list of them (see ``tf.io.gfile.glob``).
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      reader: a function or class returning a reader (``tf.compat.v1.TFRecordReader``,
        ``TextLineReader``, or a function making one with options); called once per
        thread.
      randomize_input: shuffle the file names and the records.
      num_epochs: passes over the files; None cycles forever. When set, a local
        variable counts the epochs (run ``tf.compat.v1.local_variables_initializer()``)
        and the last batch may be smaller.
      queue_capacity: capacity of the batching queue.
      num_threads: readers enqueueing in parallel; 1 keeps the files' order.
      read_batch_size: records each reader reads at once.
      parse_fn: applied to each read record (or batch of them); None keeps the
        serialized records.
      name: name of the scope and of the batch op.
      seed: seed of the shuffling when `randomize_input`.

    Returns:
      The batch: a string `Tensor` of serialized records, or what `parse_fn` made.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_batch_examples", _EXAMPLES_TF2)
    _, examples = _read_keyed_batch_examples_helper(**locals())  # the arguments
    return examples


def read_keyed_batch_examples(file_pattern, batch_size, reader, randomize_input=True,
                              num_epochs=None, queue_capacity=10000, num_threads=1,
                              read_batch_size=1, parse_fn=None, name=None, seed=None):
    """As `read_batch_examples`, and also returns each record's key.

    A record's key is its file name and position, as the reader gives it
    (``b"/data/train.tfrecord:3"``).

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      reader: a function or class returning a reader; called once per thread.
      randomize_input: shuffle the file names and the records.
      num_epochs: passes over the files; None cycles forever (see
        `read_batch_examples`).
      queue_capacity: capacity of the batching queue.
      num_threads: readers enqueueing in parallel.
      read_batch_size: records each reader reads at once.
      parse_fn: applied to each read record (or batch of them), or None.
      name: name of the scope and of the batch op.
      seed: seed of the shuffling when `randomize_input`.

    Returns:
      ``[keys, examples]``: the string `Tensor` of keys and the batch.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_keyed_batch_examples", _EXAMPLES_TF2)
    return _read_keyed_batch_examples_helper(**locals())


def read_keyed_batch_examples_shared_queue(file_pattern, batch_size, reader,
                                           randomize_input=True, num_epochs=None,
                                           queue_capacity=10000, num_threads=1,
                                           read_batch_size=1, parse_fn=None, name=None,
                                           seed=None):
    """As `read_keyed_batch_examples`, with the file names dealt out from variables.

    The list of file names for all epochs (shuffled per epoch when
    `randomize_input`) is kept in global variables under ``obtain_next/``, with a
    counter of the next one, so workers whose variables live on the same parameter
    server share one pass over the files: each file is read at most once. A
    one-slot queue per worker takes the next name. The variables are saved in
    checkpoints; the queues are not. `seed` also seeds the shuffling of the names.

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      reader: a function or class returning a reader; called once per thread.
      randomize_input, num_epochs, queue_capacity, num_threads, read_batch_size,
        parse_fn, name, seed: as for `read_keyed_batch_examples`.

    Returns:
      ``[keys, examples]``, as `read_keyed_batch_examples`.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_keyed_batch_examples_shared_queue", _EXAMPLES_TF2)
    return _read_keyed_batch_examples_helper(setup_shared_queue=True, **locals())


def read_batch_features(file_pattern, batch_size, features, reader, randomize_input=True,
                        num_epochs=None, queue_capacity=10000, feature_queue_capacity=100,
                        reader_num_threads=1, num_enqueue_threads=2, parse_fn=None,
                        name=None, read_batch_size=None):
    """Adds ops that read, batch and parse `Example` records; returns the features.

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      features: dict of feature name to ``FixedLenFeature`` / ``VarLenFeature`` (as
        ``tf.contrib.layers.create_feature_spec_for_parsing`` makes).
      reader: a function or class returning a reader; called once per thread.
      randomize_input: shuffle the file names and the records.
      num_epochs: passes over the files; None cycles forever (see
        `read_batch_examples`).
      queue_capacity: capacity of the batching queue.
      feature_queue_capacity: capacity of the queue of parsed features.
      reader_num_threads: readers enqueueing in parallel; 1 keeps the files' order.
      num_enqueue_threads: threads parsing into the features queue; 1 keeps the order.
      parse_fn: applied to the read records before ``parse_example`` (e.g.
        ``tf.decode_json_example``), or None.
      name: name of the scope.
      read_batch_size: records each reader reads at once; None: `batch_size`.

    Returns:
      A dict of feature name to `Tensor` or `SparseTensor`.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_batch_features", _FEATURES_TF2)
    _, parsed = _read_keyed_batch_features(**locals())  # the arguments
    return parsed


def read_keyed_batch_features(file_pattern, batch_size, features, reader,
                              randomize_input=True, num_epochs=None, queue_capacity=10000,
                              reader_num_threads=1, feature_queue_capacity=100,
                              num_enqueue_threads=2, parse_fn=None, name=None,
                              read_batch_size=None):
    """As `read_batch_features`, and also returns each record's key.

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      features: dict of feature name to ``FixedLenFeature`` / ``VarLenFeature``.
      reader: a function or class returning a reader; called once per thread.
      randomize_input: shuffle the file names and the records.
      num_epochs: passes over the files; None cycles forever.
      queue_capacity: capacity of the batching queue.
      reader_num_threads: readers enqueueing in parallel.
      feature_queue_capacity: capacity of the queue of parsed features.
      num_enqueue_threads: threads parsing into the features queue.
      parse_fn: applied to the read records before ``parse_example``, or None.
      name: name of the scope.
      read_batch_size: records each reader reads at once; None: `batch_size`.

    Returns:
      ``(keys, features)``: the string `Tensor` of keys and a dict of feature name
      to `Tensor` or `SparseTensor`.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_keyed_batch_features", _FEATURES_TF2)
    return _read_keyed_batch_features(**locals())


def read_keyed_batch_features_shared_queue(file_pattern, batch_size, features, reader,
                                           randomize_input=True, num_epochs=None,
                                           queue_capacity=10000, reader_num_threads=1,
                                           feature_queue_capacity=100, num_queue_runners=2,
                                           parse_fn=None, name=None):
    """As `read_keyed_batch_features`, with the file names shared between workers.

    The file names are dealt as by `read_keyed_batch_examples_shared_queue`; each
    reader reads `batch_size` records at once. The other arguments are
    `read_keyed_batch_features`'s.

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      features: dict of feature name to ``FixedLenFeature`` / ``VarLenFeature``.
      reader: a function or class returning a reader; called once per thread.
      num_queue_runners: threads parsing into the features queue (the
        ``num_enqueue_threads`` of `read_keyed_batch_features`).
      randomize_input, num_epochs, queue_capacity, reader_num_threads,
        feature_queue_capacity, parse_fn, name: as for `read_keyed_batch_features`.

    Returns:
      ``(keys, features)``, as `read_keyed_batch_features`.
    """
    _warn("read_keyed_batch_features_shared_queue", _FEATURES_TF2)
    tf = _tf()
    with tf.compat.v1.name_scope(name, "read_batch_features") as scope:
        keys, examples = _read_keyed_batch_examples_helper(
            file_pattern, batch_size, reader, randomize_input=randomize_input,
            num_epochs=num_epochs, queue_capacity=queue_capacity,
            num_threads=reader_num_threads, read_batch_size=batch_size, parse_fn=parse_fn,
            setup_shared_queue=True, name=scope)
        return _queue_parsed_features(
            tf.compat.v1.parse_example(examples, features), keys=keys,
            feature_queue_capacity=feature_queue_capacity,
            num_enqueue_threads=num_queue_runners, name=scope)


def read_batch_record_features(file_pattern, batch_size, features, randomize_input=True,
                               num_epochs=None, queue_capacity=10000, reader_num_threads=1,
                               name="dequeue_record_examples"):
    """`read_batch_features` over TFRecord files (``tf.compat.v1.TFRecordReader``).

    Args:
      file_pattern: a glob pattern, or a list of them.
      batch_size: an int, or a scalar `Tensor`, the size of the batches.
      features: dict of feature name to ``FixedLenFeature`` / ``VarLenFeature``.
      randomize_input: shuffle the file names and the records.
      num_epochs: passes over the files; None cycles forever.
      queue_capacity: capacity of the batching queue.
      reader_num_threads: readers enqueueing in parallel.
      name: name of the scope.

    Returns:
      A dict of feature name to `Tensor` or `SparseTensor`.

    Raises:
      ValueError: no file matches, or an argument is out of range.
    """
    _warn("read_batch_record_features", _FEATURES_TF2)
    _, parsed = _read_keyed_batch_features(
        file_pattern, batch_size, features, _tf().compat.v1.TFRecordReader,
        randomize_input=randomize_input, num_epochs=num_epochs,
        queue_capacity=queue_capacity, reader_num_threads=reader_num_threads, name=name)
    return parsed


def queue_parsed_features(parsed_features, keys=None, feature_queue_capacity=100,
                          num_enqueue_threads=2, name=None):
    """Puts parsed features (and keys) through a queue filled by background threads.

    Parsing then runs ahead of the training step instead of inside it. Sparse
    features travel as their indices, values and dense shape, and come out as
    `SparseTensor` again.

    Args:
      parsed_features: dict of name to `Tensor` or `SparseTensor`.
      keys: a string `Tensor` of keys, or None.
      feature_queue_capacity: capacity of the queue.
      num_enqueue_threads: threads of its queue runner; 1 keeps the order.
      name: name of the scope.

    Returns:
      ``(keys, features)``: the dequeued keys (None without `keys`) and a dict of the
      dequeued features, with the shapes of `parsed_features`.
    """
    _warn("queue_parsed_features", _FEATURES_TF2)
    return _queue_parsed_features(parsed_features, keys=keys,
                                  feature_queue_capacity=feature_queue_capacity,
                                  num_enqueue_threads=num_enqueue_threads, name=name)


# --------------------------------------------------------------------------------------
# The graph (r1.15 graph_io's private helpers, and the ObtainNext op of
# tf.contrib.input_pipeline that the shared queue used).
# --------------------------------------------------------------------------------------
def _get_file_names(file_pattern, randomize_input):
    """The files `file_pattern` (a glob, or a list of globs) matches.

    Sorted unless `randomize_input` (string_input_producer shuffles them then).
    """
    glob = _tf().io.gfile.glob
    if isinstance(file_pattern, list):
        if not file_pattern:
            raise ValueError("No files given to dequeue_examples.")
        file_names = []
        for entry in file_pattern:
            file_names.extend(glob(entry))
    else:
        file_names = list(glob(file_pattern))
    if not file_names:
        raise ValueError("No files match %s." % (file_pattern,))
    if not randomize_input:
        file_names = sorted(file_names)
    return file_names


def _check_arguments(tf, batch_size, num_epochs, queue_capacity, num_threads,
                     read_batch_size):
    # r1.15's checks, in its order and words; a Tensor batch_size is not checked.
    if not queue_capacity or queue_capacity <= 0:
        raise ValueError("Invalid queue_capacity %s." % queue_capacity)
    if batch_size is None or (not isinstance(batch_size, tf.Tensor) and
                              (batch_size <= 0 or batch_size >= queue_capacity)):
        raise ValueError("Invalid batch_size %s, with queue_capacity %s." %
                         (batch_size, queue_capacity))
    if read_batch_size is None or (not isinstance(read_batch_size, tf.Tensor) and
                                   read_batch_size <= 0):
        raise ValueError("Invalid read_batch_size %s." % read_batch_size)
    if not num_threads or num_threads <= 0:
        raise ValueError("Invalid num_threads %s." % num_threads)
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError("Invalid num_epochs %s." % num_epochs)


def _reads_many(tf, read_batch_size):
    """Whether readers use ``read_up_to`` (and the batch queue ``enqueue_many``).

    r1.15 decided with smart_cond(read_batch_size > 1) and handed the same comparison
    to batch_join as a Python bool, so only a value known while building works.
    """
    if isinstance(read_batch_size, tf.Tensor):
        value = tf.get_static_value(read_batch_size)
        if value is None:
            raise TypeError(
                "`read_batch_size` must be an int or a constant scalar Tensor: whether "
                "readers read one record or several is decided while building the graph; "
                f"got {read_batch_size!r}.")
        return bool(value > 1)
    return read_batch_size > 1


def _read_keyed_batch_examples_helper(file_pattern, batch_size, reader, randomize_input=True,
                                      num_epochs=None, queue_capacity=10000, num_threads=1,
                                      read_batch_size=1, filter_fn=None, parse_fn=None,
                                      setup_shared_queue=False, name=None, seed=None):
    """Builds the file-name queue, the readers and the batching queue.

    `filter_fn(keys, records)` returns a boolean mask of the records to keep.
    """
    tf = _tf()
    v1 = tf.compat.v1
    file_names = _get_file_names(file_pattern, randomize_input)
    _check_arguments(tf, batch_size, num_epochs, queue_capacity, num_threads,
                     read_batch_size)
    _require_graph(tf)
    many = _reads_many(tf, read_batch_size)
    with v1.name_scope(name, "read_batch_examples") as scope:
        with v1.name_scope("file_name_queue") as file_name_queue_scope:
            if setup_shared_queue:
                file_name_queue = _shared_file_name_queue(
                    tf, file_names, randomize_input, num_epochs, seed)
            else:
                file_name_queue = v1.train.string_input_producer(
                    tf.constant(file_names, name="input"), shuffle=randomize_input,
                    num_epochs=num_epochs, name=file_name_queue_scope, seed=seed)
        example_list = _read_examples(tf, file_name_queue, reader, num_threads,
                                      read_batch_size, many, filter_fn, parse_fn)
        # r1.15: a finite input ends with a smaller batch rather than dropping it.
        allow_smaller_final_batch = num_epochs is not None
        if randomize_input:
            if isinstance(batch_size, tf.Tensor):
                min_after_dequeue = int(queue_capacity * 0.4)
            else:
                min_after_dequeue = max(queue_capacity - 3 * batch_size, batch_size)
            batched = v1.train.shuffle_batch_join(
                example_list, batch_size, capacity=queue_capacity,
                min_after_dequeue=min_after_dequeue, enqueue_many=many, name=scope,
                allow_smaller_final_batch=allow_smaller_final_batch, seed=seed)
        else:
            batched = v1.train.batch_join(
                example_list, batch_size, capacity=queue_capacity, enqueue_many=many,
                name=scope, allow_smaller_final_batch=allow_smaller_final_batch)
    if parse_fn and isinstance(batched, dict):
        keys = batched.pop(KEY_FEATURE_NAME)
        return keys, batched
    return batched


def _read_examples(tf, file_name_queue, reader, num_threads, read_batch_size, many,
                   filter_fn, parse_fn):
    """One reader per thread: the list of (keys, records) batch_join takes."""
    example_list = []
    with tf.compat.v1.name_scope("read"):
        for _ in range(num_threads):
            if many:
                keys, records = reader().read_up_to(file_name_queue, read_batch_size)
            else:
                keys, records = reader().read(file_name_queue)
            if filter_fn:
                mask = filter_fn(keys, records)
                keys = tf.boolean_mask(keys, mask)
                records = tf.boolean_mask(records, mask)
            if not parse_fn:
                example_list.append((keys, records))
                continue
            parsed = parse_fn(records)
            if isinstance(parsed, dict):
                # batch_join batches a list of tuples or a list of dicts: the keys
                # ride in the dict.
                parsed[KEY_FEATURE_NAME] = keys
                example_list.append(parsed)
            else:
                example_list.append((keys, parsed))
    return example_list


def _shared_file_name_queue(tf, file_names, shuffle, num_epochs, seed):
    v1 = tf.compat.v1
    queue = v1.FIFOQueue(capacity=1, dtypes=[tf.string], shapes=[[]])
    enqueue = queue.enqueue(_seek_next(tf, file_names, shuffle, seed, num_epochs))
    v1.train.add_queue_runner(v1.train.QueueRunner(queue, [enqueue]))
    return queue


def _expanded_file_list(file_names, shuffle, seed, num_epochs):
    """r1.15 input_pipeline_ops._create_list: the names of every epoch, one after another.

    Each epoch is shuffled anew when `shuffle`. r1.15 seeded Python's global `random`
    with a true `seed`; a private Random(seed) deals the same order and leaves the
    program's own random state alone.
    """
    rng = random.Random(seed) if shuffle and seed else random
    names = list(file_names)
    expanded = []
    for _ in range(num_epochs or 1):
        if shuffle:
            rng.shuffle(names)
        expanded.extend(names)
    return expanded


def _seek_next(tf, file_names, shuffle, seed, num_epochs):
    """r1.15 input_pipeline_ops.seek_next: the next file name, round robin.

    Global variables ``obtain_next/obtain_next_counter`` (the position, from -1),
    ``obtain_next/obtain_next_expanded_list`` (the names) and, with `num_epochs`,
    ``obtain_next/obtain_next_filename_counter``, which ends the input with
    OutOfRangeError once every name was dealt.
    """
    v1 = tf.compat.v1
    expanded = _expanded_file_list(file_names, shuffle, seed, num_epochs)
    with v1.variable_scope("obtain_next"):
        counter = v1.get_variable(
            "obtain_next_counter", initializer=tf.constant(-1, dtype=tf.int64),
            dtype=tf.int64, trainable=False)
        with v1.colocate_with(counter):
            names = v1.get_variable(
                "obtain_next_expanded_list", initializer=tf.constant(expanded),
                dtype=tf.string, trainable=False)
        if not num_epochs:
            return _obtain_next(tf, names, counter)
        dealt = v1.get_variable(
            "obtain_next_filename_counter", initializer=tf.constant(0, dtype=tf.int64),
            dtype=tf.int64, trainable=False)
        with tf.control_dependencies([v1.count_up_to(dealt, len(expanded))]):
            return _obtain_next(tf, names, counter)


def _obtain_next(tf, names, counter):
    # r1.15's ObtainNext kernel set counter = (counter + 1) % len(names) under the
    # variable's lock and returned names[counter]. TF 2.15 has no such op; its atomic
    # fetch-and-increment is count_up_to, so the counter counts on past the end and
    # the position is taken modulo the length: the same names, in the same order,
    # and workers sharing the variables never get the same position.
    previous = tf.compat.v1.count_up_to(counter, _INT64_MAX)
    position = tf.math.floormod(previous + 1, tf.size(names, out_type=tf.int64))
    return tf.gather(names, position)


def _read_keyed_batch_features(file_pattern, batch_size, features, reader,
                               randomize_input=True, num_epochs=None, queue_capacity=10000,
                               reader_num_threads=1, feature_queue_capacity=100,
                               num_enqueue_threads=2, parse_fn=None, name=None,
                               read_batch_size=None):
    tf = _tf()
    with tf.compat.v1.name_scope(name, "read_batch_features") as scope:
        if read_batch_size is None:
            read_batch_size = batch_size
        keys, examples = _read_keyed_batch_examples_helper(
            file_pattern, batch_size, reader, randomize_input=randomize_input,
            num_epochs=num_epochs, queue_capacity=queue_capacity,
            num_threads=reader_num_threads, read_batch_size=read_batch_size,
            parse_fn=parse_fn, name=scope)
        return _queue_parsed_features(
            tf.compat.v1.parse_example(examples, features), keys=keys,
            feature_queue_capacity=feature_queue_capacity,
            num_enqueue_threads=num_enqueue_threads, name=scope)


def _queue_parsed_features(parsed_features, keys=None, feature_queue_capacity=100,
                           num_enqueue_threads=2, name=None):
    tf = _tf()
    v1 = tf.compat.v1
    _require_graph(tf)
    values = list(parsed_features.values()) + ([keys] if keys is not None else [])
    with v1.name_scope(name, "queue_parsed_features", values):
        # A queue holds dense tensors: a SparseTensor goes in as its three parts.
        to_enqueue, layout = [], []
        for key in sorted(parsed_features):
            tensor = parsed_features[key]
            if isinstance(tensor, tf.SparseTensor):
                layout.append((key, True))
                to_enqueue.extend([tensor.indices, tensor.values, tensor.dense_shape])
            else:
                layout.append((key, False))
                to_enqueue.append(tensor)
        if keys is not None:
            to_enqueue.append(keys)
        queue = v1.FIFOQueue(feature_queue_capacity, [t.dtype for t in to_enqueue])
        v1.summary.scalar(
            "queue/parsed_features/%s/fraction_of_%d_full" % (queue.name, feature_queue_capacity),
            tf.cast(queue.size(), tf.float32) * (1. / feature_queue_capacity))
        # One runner with several threads: the last batch is not lost when one of
        # them meets the end of the input (r1.15 also stops on CancelledError).
        v1.train.add_queue_runner(v1.train.QueueRunner(
            queue, [queue.enqueue(to_enqueue) for _ in range(num_enqueue_threads)],
            queue_closed_exception_types=(tf.errors.OutOfRangeError,
                                          tf.errors.CancelledError)))
        dequeued = queue.dequeue()
        if not isinstance(dequeued, list):  # one tensor dequeues as a tensor
            dequeued = [dequeued]
        for out, into in zip(dequeued, to_enqueue):
            out.set_shape(into.shape)
        features, index = {}, 0
        for key, is_sparse in layout:
            if is_sparse:
                features[key] = tf.SparseTensor(*dequeued[index:index + 3])
                index += 3
            else:
                features[key] = dequeued[index]
                index += 1
        return (dequeued[-1] if keys is not None else None), features
