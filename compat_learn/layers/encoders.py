"""``tf.contrib.layers.python.layers.encoders`` (r1.15): bow_encoder, embed_sequence.

Replaces ``tf.contrib.layers.bow_encoder`` and ``tf.contrib.layers.embed_sequence``
(tf-slim has no copy), with r1.15's arguments, errors and variables: one model
variable ``<scope>/embeddings`` (scope ``EmbedSequence`` / ``bow_encoder`` by
default). Native TF2 replacement: ``tf.keras.layers.Embedding`` (with a mean over
the sequence axis for bow_encoder).
"""

from compat_learn import _tf
from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.ops import variables as _slim_variables  # noqa: E402

__all__ = ["bow_encoder", "embed_sequence"]

tf = _tf.tf


def _dense_to_sparse_tensor(dense_tensor):
    # r1.15 contrib/layers/python/ops/sparse_ops.py dense_to_sparse_tensor with its
    # default ignore_value: the dtype's zero ('' for strings).
    dense_tensor = tf.convert_to_tensor(dense_tensor)
    zero = "" if dense_tensor.dtype == tf.string else dense_tensor.dtype.as_numpy_dtype()
    ignore_value = tf.cast(zero, dense_tensor.dtype, name="ignore_value")
    indices = tf.where(tf.not_equal(dense_tensor, ignore_value), name="indices")
    return tf.SparseTensor(
        indices=indices,
        values=tf.gather_nd(dense_tensor, indices, name="values"),
        dense_shape=tf.shape(dense_tensor, out_type=tf.int64, name="dense_shape"))


def _embedding_lookup_unique(params, ids):
    # r1.15 contrib embedding_ops.embedding_lookup_unique: look each distinct id up
    # once, then gather; any ids shape.
    with tf.name_scope("EmbeddingLookupUnique"):
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        ids_flat = tf.reshape(ids, tf.reduce_prod(shape, keepdims=True))
        unique_ids, idx = tf.unique(ids_flat)
        unique_embeddings = tf.compat.v1.nn.embedding_lookup(params, unique_ids)
        embeds_flat = tf.gather(unique_embeddings, idx)
        embed_shape = tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0)
        embeds = tf.reshape(embeds_flat, embed_shape)
        embeds.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
        return embeds


def bow_encoder(ids, vocab_size, embed_dim, sparse_lookup=True, initializer=None,
                regularizer=None, trainable=True, scope=None, reuse=None):
    """Maps a sequence of symbols to a vector per example by averaging embeddings.

    Args:
      ids: `[batch_size, doc_length]` `Tensor` or `SparseTensor` of int32/int64 ids.
      vocab_size: number of symbols in the vocabulary.
      embed_dim: number of dimensions of the embedding matrix.
      sparse_lookup: if True, ids become a `SparseTensor` (id 0 is dropped as
        padding) and an empty row gets the embedding of id 0.
      initializer: initializer of the embeddings (the scope's default if None).
      regularizer: optional regularizer of the embeddings.
      trainable: add the variable to `TRAINABLE_VARIABLES`.
      scope: optional variable scope (required with `reuse=True`).
      reuse: reuse the variables of `scope`.

    Returns:
      A `[batch_size, embed_dim]` `Tensor`: the mean embedding of each row.

    Raises:
      ValueError: `vocab_size` or `embed_dim` is not given.
      TypeError: `sparse_lookup` is False and `ids` is a `SparseTensor`.
    """
    if not vocab_size or not embed_dim:
        raise ValueError("Must specify vocab size and embedding dimension")
    with tf.compat.v1.variable_scope(scope, "bow_encoder", [ids], reuse=reuse):
        embeddings = _slim_variables.model_variable(
            "embeddings", shape=[vocab_size, embed_dim], initializer=initializer,
            regularizer=regularizer, trainable=trainable)
        if sparse_lookup:
            if isinstance(ids, tf.SparseTensor):
                sparse_ids = ids
            else:
                sparse_ids = _dense_to_sparse_tensor(ids)
            return tf.compat.v1.nn.safe_embedding_lookup_sparse(
                [embeddings], sparse_ids, combiner="mean", default_id=0)
        if isinstance(ids, tf.SparseTensor):
            # r1.15 passes the format arguments to TypeError unformatted.
            raise TypeError("ids are expected to be dense Tensor, got: %s", ids)
        return tf.reduce_mean(tf.compat.v1.nn.embedding_lookup(embeddings, ids), axis=1)


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """Maps a sequence of symbols to a sequence of embeddings.

    Args:
      ids: `[batch_size, doc_length]` `Tensor` of int32/int64 symbol ids.
      vocab_size: number of symbols in the vocabulary.
      embed_dim: number of dimensions of the embedding matrix.
      unique: look each distinct id up once, then repeat (same result).
      initializer: initializer of the embeddings (the scope's default if None).
      regularizer: optional regularizer of the embeddings.
      trainable: add the variable to `TRAINABLE_VARIABLES`.
      scope: optional variable scope (required with `reuse=True`).
      reuse: reuse the variables of `scope`.

    Returns:
      A `[batch_size, doc_length, embed_dim]` `Tensor`.

    Raises:
      ValueError: `vocab_size` or `embed_dim` is missing and `reuse` is not set.
    """
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not "
                         "reusing. Got vocab_size=%s and embed_dim=%s" % (vocab_size,
                                                                          embed_dim))
    with tf.compat.v1.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        # r1.15's condition, precedence included: (reuse and no vocab) or no dim.
        if (reuse and vocab_size is None) or embed_dim is None:
            shape = None
        embeddings = _slim_variables.model_variable(
            "embeddings", shape=shape, initializer=initializer, regularizer=regularizer,
            trainable=trainable)
        if unique:
            return _embedding_lookup_unique(embeddings, ids)
        return tf.compat.v1.nn.embedding_lookup(embeddings, ids)
