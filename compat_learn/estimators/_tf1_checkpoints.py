"""Model directories trained by TF 1.x, restored by the canned estimators (issue 10).

The canned estimators build r1.15's graph, so a TF 1.15 checkpoint's model variables
have the names the graph saves them under. Optimizer slots do not: their checkpoint
name is the primary's name, then a piece of the scope the optimizer ran in (cut at the
length of the primary's op name by TF 1.x's slot_creator, so it changed with every
head and TF release: ``dnn/hiddenlayer_0/weights/t_0/Adagrad`` in TF 1.0,
``.../weights/nlayer_0/weights/part_0/Adagrad`` in TF 1.2,
``.../biases//hiddenlayer_0/biases/part_0/Adagrad`` in r1.15), then the slot name;
and the learning rate scalars moved (``dnn/learning_rate``,
``dnn/regression_head/dnn/learning_rate``). TensorFlow's own restore fails on any of
these (``NotFoundError``), and on a model of another shape gives a long error that
names a graph node, after the training session has already written its event file.

`with_tf1_restore` gives a canned model_fn's `ModelFnOps` a Scaffold whose Saver
(`_TF1Saver`) restores such a checkpoint as it is. At restore time it lists the
checkpoint TensorFlow is restoring (after compat_learn's path translations, see
`compat_learn._restore_paths`) and matches each variable of the graph:

* model variables (trainable, model variables, the global step) by their name, with
  the same shape, else an error naming the variable and both shapes; so is a
  non-scalar checkpoint variable the graph does not have (a layer more, a feature
  column removed): a model that does not match is never trained or evaluated afresh;
* each optimizer slot by the variable it belongs to, its slot name (the last part of
  its name: ``Adagrad``, ``Ftrl``, ``Ftrl_1`` ...) and its shape, whatever the
  spelling in between; a slot that cannot be matched is re-initialised, with one
  warning naming it;
* a partitioned variable's slot, which TF 1.x saved part by part (the spelling
  names the part: ``.../weights/part_1/Adagrad``, ``.../weights/t_1/Adagrad``), each
  key holding only its part's slice, is put together from those slices for the
  graph's own partitioning (one part locally, as many as the ps tasks allow in a
  cluster); the slices are read from the checkpoint's index (`_ckpt_slices`);
* other scalars (learning rates, Adam's beta powers): by name, or else by the last
  part of the name (among several, also by the scope part before it: the scope the
  optimizer ran in changed between releases); those not in the checkpoint are
  initialised, the checkpoint's others ignored (one INFO line).

A checkpoint whose names are all the graph's is restored by the Saver's own restore
op. The Saver saves as TensorFlow's default one does, under the graph's (r1.15's)
names: the next checkpoint of the directory reads back by name, in compat_learn and
in TF 1.15 alike, without matching again.
"""

import logging
import re

import numpy as np

from compat_learn import _restore_paths, _tf
from compat_learn.estimators import _ckpt_slices
from compat_learn.estimators.model_fn import ModeKeys

__all__ = ["check_model_dir", "with_tf1_restore"]

logger = logging.getLogger(__name__)

tf = _tf.tf
_v1 = tf.compat.v1
_errors = tf.errors

_GLOBAL_STEP = "global_step"
_RESTORE_SCOPE = "tf1_checkpoint_restore"
_reported = set()  # checkpoint paths whose matching was logged (INFO once per path)


# --------------------------------------------------------------------------------------
# The graph side: what a Saver of these variables writes, and what each one is.
# --------------------------------------------------------------------------------------
class _Part:
    """One graph variable: its checkpoint key, slice spec, the shape of the key and the
    region of it that the variable holds (``[(start, stop)]`` per dimension)."""

    def __init__(self, variable):
        self.variable = variable
        info = variable._get_save_slice_info()  # a partitioned variable's part
        if info is not None:
            self.key, self.spec = info.full_name, info.spec
            self.full_shape = list(info.full_shape)
            self.region = [(o, o + n) for o, n in zip(info.var_offset, info.var_shape)]
        else:
            self.key, self.spec = variable.op.name, ""
            self.full_shape = variable.shape.as_list()
            self.region = [(0, n) for n in self.full_shape]


def _graph_keys(variables):
    """{checkpoint key: (full shape, kind)} for `variables`; kind model/slot/scalar.

    Model variables are the trainable ones, the model variables and the global step
    (a missing one is an error). A slot is another variable saved under a model
    variable's key plus ``/``; what is left (learning rates, Adam's beta powers) are
    scalars that may be initialised.
    """
    required = {id(v) for v in _v1.trainable_variables() + _v1.model_variables()}
    parts = [_Part(v) for v in variables]
    model = {p.key for p in parts if id(p.variable) in required or p.key == _GLOBAL_STEP}
    keys = {}
    for part in parts:
        if part.key in model:
            kind = "model"
        elif _owner(part.key, model) is not None:
            kind = "slot"
        else:
            kind = "scalar"
        keys[part.key] = (part.full_shape, kind)
    return keys, parts


def _regions(parts):
    """{checkpoint key: [region of each graph variable saved under it]}."""
    regions = {}
    for part in parts:
        regions.setdefault(part.key, []).append(part.region)
    return regions


def _intersection(a, b):
    region = [(max(a0, b0), min(a1, b1)) for (a0, a1), (b0, b1) in zip(a, b)]
    return region if all(lo < hi for lo, hi in region) else None


def _volume(region):
    return int(np.prod([hi - lo for lo, hi in region]))


def _held(key, shape, saved):
    """The regions of checkpoint key `key` that the checkpoint holds."""
    if key not in saved:
        return [[(0, n) for n in shape]]
    return [[(start, n if length is None else start + length)
             for (start, length), n in zip(extents, shape)] for extents in saved[key]]


def _last(key):
    return key.rsplit("/", 1)[-1]


def _scope(key):
    """The scope part before a name's last part, without a unique-name suffix
    (``train_op/dnn_1/beta1_power`` -> ``dnn``)."""
    parts = key.split("/")
    return re.sub(r"_\d+$", "", parts[-2]) if len(parts) > 1 else ""


def _owner(key, primaries):
    """The longest of `primaries` that `key` is saved under (``primary/...``), or None."""
    owner = None
    for primary in primaries:
        if key.startswith(primary + "/") and (owner is None or len(primary) > len(owner)):
            owner = primary
    return owner


# --------------------------------------------------------------------------------------
# Matching a checkpoint to the graph.
# --------------------------------------------------------------------------------------
class _Plan:
    """How to restore a checkpoint: {graph key: checkpoint key}, and what to initialise."""

    def __init__(self, mapping, unmatched_slots, missing_scalars, ignored, assembled):
        self.mapping = mapping
        self.assembled = assembled  # {graph key: checkpoint keys holding its slices}
        self.unmatched_slots = unmatched_slots
        self.missing_scalars = missing_scalars
        self.ignored = ignored

    @property
    def exact(self):
        return (not self.unmatched_slots and not self.missing_scalars and not self.assembled
                and all(k == v for k, v in self.mapping.items()))


def _shape(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _mismatch(path, detail):
    return (f"The checkpoint {path} does not match this estimator's model: {detail}. "
            "The model directory was trained with other estimator arguments (hidden_units, "
            "feature columns or their dimensions, n_classes, label_dimension, "
            "enable_centered_bias, ...): construct the estimator as it was trained, or use "
            "another model_dir.")


def _plan(graph_keys, checkpoint, path, regions=None, saved=None):
    """Matches `checkpoint` ({key: shape}) to `graph_keys` (see `_graph_keys`).

    `regions` ({graph key: [region]}, see `_regions`) says which slices of each key the
    graph's variables hold (default: the whole key), `saved` ({checkpoint key:
    slices}, see `_ckpt_slices.saved_slices`) which ones the checkpoint holds (default:
    whole). A graph key is restored from one checkpoint key that holds all its
    regions, or else (a slot) assembled from the slices of several.

    Raises:
      InvalidArgumentError: a variable has another shape in the checkpoint, or the
        checkpoint has a non-scalar variable that is not in the graph.
      NotFoundError: a model variable of the graph is not in the checkpoint.
    """
    regions, saved = regions or {}, saved or {}

    def covered(keys, key):
        pieces = [r for k in keys for r in _held(k, checkpoint[k], saved)]
        wanted = regions.get(key) or [[(0, n) for n in graph_keys[key][0]]]
        return all(sum(_volume(i) for i in (_intersection(p, r) for p in pieces)
                       if i is not None) == _volume(r) for r in wanted)

    mapping = {}
    for key, (shape, _) in graph_keys.items():
        if key in checkpoint:
            if list(checkpoint[key]) != list(shape):
                raise _errors.InvalidArgumentError(None, None, _mismatch(path, (
                    f"variable {key} has shape {_shape(checkpoint[key])} in the checkpoint "
                    f"and {_shape(shape)} in this estimator's graph")))
            if covered([key], key):  # not, for one part's slot under another partitioning
                mapping[key] = key
    for key, (shape, kind) in graph_keys.items():
        if kind == "model" and key not in mapping:
            raise _errors.NotFoundError(None, None, _mismatch(path, (
                f"variable {key} (shape {_shape(shape)} in this estimator's graph) is not "
                "in the checkpoint")))

    model = {key for key, (_, kind) in graph_keys.items() if kind == "model"}
    unused = set(checkpoint) - set(mapping.values())
    # A slot is matched by its variable, its slot name (the name's last part) and its
    # shape: exactly one checkpoint key saved under that variable must fit; or else the
    # keys that each hold a part of the slot (TF 1.x's partitioned slots) together.
    partial = {key for key, shape in checkpoint.items() if key in saved
               and sum(map(_volume, _held(key, shape, saved))) < np.prod(shape, dtype=int)}
    unmatched_slots, assembled = [], {}
    for key, (shape, kind) in sorted(graph_keys.items()):
        if kind != "slot" or key in mapping:
            continue
        owner, slot_name = _owner(key, model), _last(key)
        candidates = [c for c in checkpoint
                      if _owner(c, model) == owner and _last(c) == slot_name
                      and list(checkpoint[c]) == list(shape)]
        whole = [c for c in candidates if c in unused and covered([c], key)]
        pieces = sorted(c for c in candidates if c in partial)
        if len(whole) == 1:
            mapping[key] = whole[0]
            unused.discard(whole[0])
        elif pieces and covered(pieces, key):
            assembled[key] = pieces
        else:
            unmatched_slots.append((key, f"the {slot_name} slot of {owner}"))
    unused.difference_update(*assembled.values())
    # Other scalars (learning rates, Adam's beta powers) by name, or else by the last
    # part of it (among several: and the scope part before it): the scope the optimizer
    # ran in changed between releases (TF 1.0: train_op/dnn/beta1_power; r1.15:
    # dnn/binary_logistic_head/train_op/dnn/beta1_power).
    missing_scalars = []
    for key, (shape, kind) in sorted(graph_keys.items()):
        if kind != "scalar" or key in mapping:
            continue
        found = [c for c in sorted(unused) if _owner(c, model) is None
                 and _last(c) == _last(key) and list(checkpoint[c]) == list(shape)]
        if len(found) > 1:
            found = [c for c in found if _scope(c) == _scope(key)]
        if len(found) == 1:
            mapping[key] = found[0]
            unused.discard(found[0])
        else:
            missing_scalars.append(key)

    # What is left is ignored if it is a slot of a graph variable or a scalar; anything
    # else is a variable of another model (a layer, a column, a centered bias).
    foreign = sorted(key for key in unused
                     if _owner(key, model) is None and list(checkpoint[key]) != [])
    for key in foreign:
        if _owner(key, foreign) is None:  # not itself a slot of another foreign variable
            raise _errors.InvalidArgumentError(None, None, _mismatch(path, (
                f"the checkpoint has variable {key} (shape {_shape(checkpoint[key])}), "
                "which this estimator's graph does not have")))
    return _Plan(mapping, unmatched_slots, missing_scalars, sorted(unused), assembled)


def _read_checkpoint(path):
    """({key: shape}, {key: saved slices}) of the checkpoint at `path`."""
    shapes = dict(tf.train.list_variables(path))
    try:
        saved = _ckpt_slices.saved_slices(path)
    except Exception as exc:  # a V1 checkpoint, say: its keys are taken as whole
        logger.debug("Checkpoint %s: slices not read (%s).", path, exc)
        saved = {}
    return shapes, saved


def check_model_dir(model_dir, variables=None):
    """Raises if the checkpoint a training session would restore does not match.

    Called while the training graph is built, before TensorFlow's training session
    writes its event file into `model_dir` (it restores only after that). Finds the
    checkpoint as TF 2.15's SessionManager does (the state file's latest, through
    compat_learn's path translations); no checkpoint, nothing to check.

    Raises:
      InvalidArgumentError, NotFoundError: see `_plan`.
    """
    if not model_dir:
        return
    try:
        state = tf.train.get_checkpoint_state(model_dir)
    except Exception:  # TF's restore reports a bad state file itself
        return
    if state is None or not state.model_checkpoint_path:
        return
    path = _restore_paths.translate(state.model_checkpoint_path)
    try:
        checkpoint, saved = _read_checkpoint(path)
    except Exception:  # not readable: TF's restore gives its own error
        return
    if variables is None:
        variables = _v1.global_variables()
    graph_keys, parts = _graph_keys(variables)
    _plan(graph_keys, checkpoint, path, _regions(parts), saved)


# --------------------------------------------------------------------------------------
# The Saver.
# --------------------------------------------------------------------------------------
def _cpu(device):
    # RestoreV2 runs on a CPU of the variable's task (as the Saver's own restore op).
    spec = tf.DeviceSpec.from_string(device or "")
    return spec.replace(device_type="CPU", device_index=0).to_string()


class _TF1Saver(_v1.train.Saver):
    """A ``tf.compat.v1.train.Saver`` that also restores TF 1.x's variable spellings.

    It saves, and restores a checkpoint with the graph's names, exactly as the Saver
    it extends. For any other checkpoint it restores each variable from the key
    `_plan` matched (one ``RestoreV2`` per variable, reading the key it is fed), or
    from the slices `_plan` assembles it from (read one by one, fed to the same
    assignment), and initialises the unmatched ones.
    """

    def __init__(self, *args, **kwargs):
        self._tf1_parts = None  # set by build()
        super().__init__(*args, **kwargs)

    def build(self):
        super().build()
        if self._tf1_parts is not None or self._is_empty:
            return
        variables = list(self._var_list)
        if not all(isinstance(v, tf.Variable) for v in variables):
            self._tf1_parts = ()  # other saveables: by name only
            return
        self._tf1_keys, parts = _graph_keys(variables)
        self._tf1_regions = _regions(parts)
        with tf.name_scope(_RESTORE_SCOPE):
            self._tf1_filename = _v1.placeholder(tf.string, [], name="filename")
            # One slice of one key, any dtype of the graph's: assembling a slot.
            self._tf1_readers = {}
            with tf.device(_cpu("")):
                for dtype in {part.variable.dtype.base_dtype for part in parts}:
                    key = _v1.placeholder(tf.string, [1], name="slice_key")
                    spec = _v1.placeholder(tf.string, [1], name="slice_spec")
                    self._tf1_readers[dtype] = (key, spec, tf.raw_ops.RestoreV2(
                        prefix=self._tf1_filename, tensor_names=key, shape_and_slices=spec,
                        dtypes=[dtype])[0])
            for part in parts:
                part.fed_key = _v1.placeholder(tf.string, [1], name="key")
                with tf.device(_cpu(part.variable.device)):
                    value = tf.raw_ops.RestoreV2(
                        prefix=self._tf1_filename, tensor_names=part.fed_key,
                        shape_and_slices=[part.spec],
                        dtypes=[part.variable.dtype.base_dtype])[0]
                value.set_shape(part.variable.shape)
                part.value = value  # fed instead, when the part is assembled
                # The placer puts the assignment with its (resource or ref) variable.
                assign = part.variable.assign(value, read_value=False)
                part.assign = getattr(assign, "op", assign)
        self._tf1_parts = parts

    def restore(self, sess, save_path):
        if not self._tf1_parts or save_path is None:
            return super().restore(sess, save_path)
        path = _restore_paths.translate(save_path)
        try:
            checkpoint, saved = _read_checkpoint(path)
        except Exception:  # missing or unreadable: TensorFlow's restore says so
            return super().restore(sess, save_path)
        plan = _plan(self._tf1_keys, checkpoint, path, self._tf1_regions, saved)
        if plan.exact:
            return super().restore(sess, save_path)
        self._report(plan, path)
        feed = {self._tf1_filename: path}
        assigns, initializers = [], []
        for part in self._tf1_parts:
            if part.key in plan.mapping:
                feed[part.fed_key] = [plan.mapping[part.key]]
                assigns.append(part.assign)
            elif part.key in plan.assembled:
                feed[part.value] = self._assemble(sess, path, part, plan.assembled[part.key],
                                                  checkpoint, saved)
                assigns.append(part.assign)
            else:
                initializers.append(part.variable.initializer)
        logger.info("Restoring parameters from %s", path)
        sess.run(assigns, feed)
        # After the restore: an initial value may read its primary (slot_creator).
        if initializers:
            sess.run(initializers)
        return None

    def _assemble(self, sess, path, part, keys, checkpoint, saved):
        """`part`'s value, read slice by slice from the checkpoint `keys` holding it."""
        key_feed, spec_feed, read = self._tf1_readers[part.variable.dtype.base_dtype]
        value = np.zeros([hi - lo for lo, hi in part.region],
                         part.variable.dtype.base_dtype.as_numpy_dtype)
        for key in keys:
            for held in _held(key, checkpoint[key], saved):
                region = _intersection(held, part.region)
                if region is None:
                    continue
                # A slice spec: "<full shape> <start>,<length>:..." (TF's TensorSlice).
                spec = " ".join(map(str, part.full_shape)) + " " + ":".join(
                    f"{lo},{hi - lo}" for lo, hi in region)
                value[tuple(slice(lo - start, hi - start) for (lo, hi), (start, _)
                            in zip(region, part.region))] = sess.run(
                    read, {self._tf1_filename: path, key_feed: [key], spec_feed: [spec]})
        return value

    @staticmethod
    def _report(plan, path):
        if plan.unmatched_slots:
            logger.warning(
                "Checkpoint %s has no optimizer slot that matches %s (by variable, slot "
                "name and shape); re-initialised: training goes on from a fresh optimizer "
                "state for them.", path,
                ", ".join(f"{what} ({key})" for key, what in plan.unmatched_slots))
        renamed = {k: v for k, v in plan.mapping.items() if k != v}
        renamed.update({k: " + ".join(v) for k, v in plan.assembled.items()})
        logger.debug("Checkpoint %s: restoring %s; initialising %s; ignoring %s.", path,
                     ", ".join(f"{k} from {v}" for k, v in sorted(renamed.items())),
                     plan.missing_scalars, plan.ignored)
        if path in _reported:
            return
        _reported.add(path)
        logger.info(
            "Checkpoint %s has TF 1.x's variable names: %d optimizer slots and scalars "
            "restored from their names there (%d slots put together from the parts another "
            "partitioning saved); initialised (not in the checkpoint): %s; ignored (not in "
            "this graph): %s.", path, len(renamed), len(plan.assembled),
            ", ".join(plan.missing_scalars) or "none", ", ".join(plan.ignored) or "none")


def with_tf1_restore(ops, mode, config=None):
    """`ops` with a Scaffold whose Saver restores a TF 1.x model directory as it is.

    Args:
      ops: the canned model_fn's `ModelFnOps`, built in the current graph.
      mode: the contrib `ModeKeys` value.
      config: the estimator's `RunConfig` (model_dir and the checkpoints to keep).

    Returns:
      `ops`, unchanged if its scaffold already has a Saver.

    Raises:
      InvalidArgumentError, NotFoundError: when training, the model directory's
        checkpoint does not match the graph (see `check_model_dir`).
    """
    scaffold = ops.scaffold
    if scaffold is not None and scaffold.saver is not None:
        return ops
    if mode == ModeKeys.TRAIN:
        check_model_dir(getattr(config, "model_dir", None))
        # TF 2.15's Estimator.train default Saver, with the settings it takes from
        # the config (estimator.py _train_with_estimator_spec); built when the
        # Scaffold is finalised, after the hooks' begin().
        saver = _TF1Saver(
            sharded=True, max_to_keep=getattr(config, "keep_checkpoint_max", 5),
            keep_checkpoint_every_n_hours=getattr(
                config, "keep_checkpoint_every_n_hours", 10000),
            defer_build=True, save_relative_paths=True)
    else:
        # Evaluate, predict and export: TF's default Saver (sharded, empty allowed),
        # built now, since export restores without finalising a Scaffold.
        saver = _TF1Saver(sharded=True, allow_empty=True)
    return ops._replace(scaffold=_v1.train.Scaffold(saver=saver, copy_from_scaffold=scaffold))
