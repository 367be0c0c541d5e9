"""Embedding ops of TensorFlow Learn (r1.15 contrib/learn/python/learn/ops/embeddings_ops.py).

Native TF2 replacement: ``tf.nn.embedding_lookup`` / ``tf.keras.layers.Embedding``.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["categorical_variable", "embedding_lookup"]

_v1 = tf.compat.v1


def _lookup(params, ids, name):
    with _v1.name_scope(name, "embedding_lookup", [params, ids]):
        params = tf.convert_to_tensor(params)
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        # r1.15: flatten the ids, look them up, then restore the ids' shape with the
        # embedding dimensions appended.
        flat = tf.reshape(ids, tf.reduce_prod(shape, keepdims=True))
        embeds = tf.nn.embedding_lookup(params, flat, name=name)
        embeds = tf.reshape(embeds, tf.concat([shape, [-1]], 0))
        embeds.set_shape(ids.get_shape().concatenate(params.get_shape()[1:]))
        return embeds


def embedding_lookup(params, ids, name="embedding_lookup"):
    """An N-dimensional ``tf.nn.embedding_lookup``.

    Args:
      params: a tensor of shape ``[D0, D1, ... Dn-1]``.
      ids: an integer tensor of any shape ``[B0, ... Bk]`` of indices into `params`.
      name: the name of the operation.

    Returns:
      A tensor of shape ``[B0, ... Bk, D1, ... Dn-1]``.
    """
    warn_deprecated("tf.contrib.learn.ops.embedding_lookup", "tf.nn.embedding_lookup")
    return _lookup(params, ids, name)


def categorical_variable(tensor_in, n_classes, embedding_size, name):
    """Embeds class ids `tensor_in` with a new ``[n_classes, embedding_size]`` variable.

    The variable is ``<name>/<name>_embeddings`` (r1.15's name), created with
    ``tf.compat.v1.get_variable``'s default initializer.

    Args:
      tensor_in: integer class ids, of any shape.
      n_classes: the number of classes.
      embedding_size: the size of each class's embedding vector.
      name: the variable scope, and the stem of the variable's name.

    Returns:
      A tensor of the shape of `tensor_in` with `embedding_size` appended.
    """
    warn_deprecated("tf.contrib.learn.ops.categorical_variable",
                    "tf.keras.layers.Embedding")
    with _v1.variable_scope(name):
        embeddings = _v1.get_variable(name + "_embeddings", [n_classes, embedding_size])
        return _lookup(embeddings, tensor_in, "embedding_lookup")
