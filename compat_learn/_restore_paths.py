"""One place where compat_learn changes the path TensorFlow's Saver restores from.

Every TF 2.15 estimator restore (train's SessionManager, evaluate, predict,
export_saved_model, and the contrib Estimator built on them) ends in
``tf.compat.v1.train.Saver.restore(sess, save_path)``, and a training restore then
calls ``Saver.recover_last_checkpoints(paths)`` (tensorflow/python/training/saver.py
and session_manager.py, TF 2.15.1). Two features need TensorFlow to read other files
than the recorded path names, while everything TensorFlow reports (the
``checkpoint_path`` summary, the path handed to exporters) keeps the recorded one:

* `compat_learn._moveddir`: a model directory moved from another machine, whose
  state file records absolute paths that no longer exist;
* `compat_learn._pinning`: a checkpoint pinned (hard-linked) by the evaluator so that
  the trainer's ``keep_checkpoint_max`` cannot delete it mid-restore.

Each registers a translator (a function from a path to another path, or None for no
change) in its stage; the wrapper applies them in stage order (moved first: a pin is
made of the checkpoint's files where they really are). Only the moved-directory
translation also applies to ``recover_last_checkpoints``: that list is what the
trainer's Saver later deletes under ``max_to_keep``, which must never be a pin. The wrapper is installed once,
when the first translator is registered, and changes nothing for a path no translator
answers.
"""

import functools
import threading

__all__ = ["MOVED", "PINNED", "register", "translate"]

MOVED = 0
PINNED = 1

_lock = threading.Lock()
_translators = {}  # stage -> (translator, applies to recover_last_checkpoints)
_installed = False


def translate(path, recovering=False):
    """`path` as the registered translators map it (unchanged when none answers)."""
    for stage in sorted(_translators):
        translator, on_recover = _translators[stage]
        if recovering and not on_recover:
            continue
        translated = translator(path)
        if translated is not None:
            path = translated
    return path


def register(stage, translator, on_recover=False):
    """Registers `translator` for `stage` (`MOVED` or `PINNED`) and installs the wrapper.

    `on_recover`: also translate the paths given to ``recover_last_checkpoints``.
    """
    global _installed
    with _lock:
        _translators[stage] = (translator, on_recover)
        if _installed:
            return
        from compat_learn import _tf

        saver_class = _tf.tf.compat.v1.train.Saver
        original_restore = saver_class.restore
        original_recover = saver_class.recover_last_checkpoints

        @functools.wraps(original_restore)
        def restore(self, sess, save_path):
            return original_restore(self, sess, translate(save_path))

        @functools.wraps(original_recover)
        def recover_last_checkpoints(self, checkpoint_paths):
            return original_recover(self, [translate(p, recovering=True) for p in checkpoint_paths])

        saver_class.restore = restore
        saver_class.recover_last_checkpoints = recover_last_checkpoints
        _installed = True
