"""r1.15 ``tf.contrib.legacy_seq2seq.python.ops.seq2seq``: TF 1.x's static seq2seq models.

The decoders and losses of the TF 1.x translate tutorial, char-rnn trainers and
chatbots, written on TF 2.15's own graph-mode pieces (``tf.compat.v1.nn.static_rnn``,
the ``tf.compat.v1.nn.rnn_cell`` cells, ``tf.compat.v1.get_variable``) and on
compat_learn.rnn's EmbeddingWrapper / OutputProjectionWrapper / ``_Linear`` (r1.15's
core_rnn_cell), with r1.15's arguments, defaults, variable scopes and names
(``embedding_attention_seq2seq/rnn/embedding_wrapper/embedding``,
``attention_decoder/AttnW_0``, ``.../Attention_0/kernel`` ...), so TF 1.x checkpoints
restore, and r1.15's errors. Graph mode only, as in r1.15.

Native TF2 replacement: ``tensorflow_addons.seq2seq`` (BasicDecoder,
BahdanauAttention, AttentionWrapper) or Keras ``tf.keras.layers.RNN`` models with
``tf.keras.losses.SparseCategoricalCrossentropy``.
"""

import copy

from compat_learn import _tf
from compat_learn.rnn.core_rnn_cell import EmbeddingWrapper, OutputProjectionWrapper, _Linear

__all__ = [
    "attention_decoder",
    "basic_rnn_seq2seq",
    "embedding_attention_decoder",
    "embedding_attention_seq2seq",
    "embedding_rnn_decoder",
    "embedding_rnn_seq2seq",
    "embedding_tied_rnn_seq2seq",
    "model_with_buckets",
    "one2many_rnn_seq2seq",
    "rnn_decoder",
    "sequence_loss",
    "sequence_loss_by_example",
    "tied_rnn_seq2seq",
]

tf = _tf.tf
_v1 = tf.compat.v1

# r1.15 seq2seq.py: ``Linear = core_rnn_cell._Linear`` (variables ``kernel``, ``bias``).
Linear = _Linear


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop_function feeding back the embedding of the previous output's argmax."""

    def loop_function(prev, _):
        if output_projection is not None:
            prev = _v1.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        emb_prev = tf.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
        if not update_embedding:
            # r1.15: no gradient flows back through the fed-back symbols' embedding.
            emb_prev = tf.stop_gradient(emb_prev)
        return emb_prev

    return loop_function


def _copy_cell(cell):
    """r1.15's ``copy.deepcopy(cell)``: the encoder's own copy of a not yet built cell.

    A cell that has built its variables cannot be deep-copied in graph mode; r1.15 then
    failed with "TypeError: can't pickle _thread.lock objects" (the TF 1.2+ translate
    tutorial's famous error). Same error type here, saying what to do.
    """
    try:
        return copy.deepcopy(cell)
    except (TypeError, NotImplementedError) as e:
        raise TypeError(
            "Cannot deep-copy %r for the encoder: the cell already has variables (r1.15 "
            "failed here too, with \"can't pickle _thread.lock objects\"). Build a new "
            "cell for each seq2seq call (e.g. inside the function given to "
            "model_with_buckets)." % (cell,)) from e


def _check_projection(output_projection, num_symbols, dtype, weights=True):
    # r1.15 converted the projection and checked it against num_symbols up front.
    if weights:
        proj_weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
        proj_weights.get_shape().assert_is_compatible_with([None, num_symbols])
    proj_biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    proj_biases.get_shape().assert_is_compatible_with([num_symbols])


def _flat_state(outputs, state):
    return outputs + (tf.nest.flatten(state) if tf.nest.is_nested(state) else [state])


def _decode_feed_previous(feed_previous, decode, num_outputs, structure):
    """Runs ``decode(feed_previous_bool, update_embedding)`` as r1.15 did for `feed_previous`.

    A Python bool decodes once. A boolean Tensor builds both decoders under a cond, with
    no gradient through fed-back embeddings: the feed-previous branch first, creating
    the variables (reuse=None), the other reusing them (reuse=True); the state comes
    back packed like ``structure()``.
    """
    if isinstance(feed_previous, bool):
        return decode(feed_previous, True)

    def branch(feed_previous_bool):
        reuse = None if feed_previous_bool else True
        with _v1.variable_scope(_v1.get_variable_scope(), reuse=reuse):
            return _flat_state(*decode(feed_previous_bool, False))

    outputs_and_state = _v1.cond(feed_previous, lambda: branch(True), lambda: branch(False))
    state_list = outputs_and_state[num_outputs:]
    state = state_list[0]
    structure = structure()
    if tf.nest.is_nested(structure):
        state = tf.nest.pack_sequence_as(structure=structure, flat_sequence=state_list)
    return outputs_and_state[:num_outputs], state


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """RNN decoder for the sequence-to-sequence model (r1.15 legacy_seq2seq.rnn_decoder).

    Args:
      decoder_inputs: a list of 2D Tensors [batch_size x input_size].
      initial_state: 2D Tensor [batch_size x cell.state_size] (or the cell's state tuple).
      cell: the RNNCell run at every step.
      loop_function: if not None, ``loop_function(prev, i)`` makes the input of step i
        from the output of step i - 1 (decoder_inputs after the first are then unused).
      scope: variable scope of the decoder (default "rnn_decoder").

    Returns:
      A tuple (outputs, state): the list of the cell's outputs, one per input, and the
      final state.
    """
    with _v1.variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with _v1.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                _v1.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
    """An RNN encoder whose final state starts an RNN decoder (r1.15 basic_rnn_seq2seq).

    The encoder runs a deep copy of `cell` (its own variables, under ``rnn``); the
    decoder runs `cell` under ``rnn_decoder``, both in `scope` (default
    "basic_rnn_seq2seq").

    Args:
      encoder_inputs: a list of 2D Tensors [batch_size x input_size].
      decoder_inputs: a list of 2D Tensors [batch_size x input_size].
      cell: the RNNCell (copied for the encoder).
      dtype: the dtype of the initial state of the encoder (default tf.float32).
      scope: variable scope (default "basic_rnn_seq2seq").

    Returns:
      A tuple (outputs, state) of the decoder.
    """
    with _v1.variable_scope(scope or "basic_rnn_seq2seq"):
        enc_cell = _copy_cell(cell)
        _, enc_state = _v1.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None,
                     dtype=tf.float32, scope=None):
    """An RNN seq2seq whose encoder and decoder share one cell's variables (r1.15).

    Both run in ``combined_tied_rnn_seq2seq/<scope>`` (default scope
    "tied_rnn_seq2seq"); the decoder reuses the encoder's variables.

    Args:
      encoder_inputs: a list of 2D Tensors [batch_size x input_size].
      decoder_inputs: a list of 2D Tensors [batch_size x input_size].
      cell: the RNNCell of both.
      loop_function: as in `rnn_decoder`.
      dtype: the dtype of the initial state of the encoder (default tf.float32).
      scope: variable scope of encoder and decoder (default "tied_rnn_seq2seq").

    Returns:
      A tuple (outputs, state) of the decoder.
    """
    with _v1.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = _v1.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        _v1.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function,
                           scope=scope)


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """RNN decoder over embedded symbols (r1.15 legacy_seq2seq.embedding_rnn_decoder).

    Args:
      decoder_inputs: a list of 1D int32 Tensors [batch_size] of symbols.
      initial_state: 2D Tensor [batch_size x cell.state_size] (or a state tuple).
      cell: the RNNCell.
      num_symbols: how many symbols the ``embedding`` variable embeds.
      embedding_size: the size of an embedding vector.
      output_projection: None, or a pair (W, B) of the projection of the cell's
        outputs to num_symbols (W [output_size x num_symbols], B [num_symbols]); used
        only to pick the fed-back symbol.
      feed_previous: a bool; if True, every input after the first is the embedding of
        the previous output's argmax (greedy decoding).
      update_embedding_for_previous: if False, no gradient flows through the embedding
        of fed-back symbols.
      scope: variable scope (default "embedding_rnn_decoder").

    Returns:
      A tuple (outputs, state) as `rnn_decoder`.

    Raises:
      ValueError: if `output_projection` has the wrong shape.
    """
    with _v1.variable_scope(scope or "embedding_rnn_decoder") as scope:
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, scope.dtype)
        embedding = _v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (_extract_argmax_and_embed(embedding, output_projection,
                                                   update_embedding_for_previous)
                         if feed_previous else None)
        # r1.15 looked the inputs up lazily, inside rnn_decoder's scope.
        emb_inp = (tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """Embedding RNN sequence-to-sequence model (r1.15 embedding_rnn_seq2seq).

    The encoder runs ``EmbeddingWrapper(copy of cell)`` under ``rnn``; the decoder runs
    `cell` (wrapped in an OutputProjectionWrapper to num_decoder_symbols unless
    `output_projection` is given) over embedded decoder inputs.

    Args:
      encoder_inputs: a list of 1D int32 Tensors [batch_size].
      decoder_inputs: a list of 1D int32 Tensors [batch_size].
      cell: the RNNCell (copied for the encoder).
      num_encoder_symbols: number of symbols on the encoder side.
      num_decoder_symbols: number of symbols on the decoder side.
      embedding_size: the size of an embedding vector, both sides.
      output_projection: None, or a pair (W, B) of the output projection.
      feed_previous: a bool or a scalar bool Tensor; True feeds back the previous
        output's argmax (a Tensor builds both decoders under a cond).
      dtype: the dtype of the initial RNN state (default: the scope's, float32).
      scope: variable scope (default "embedding_rnn_seq2seq").

    Returns:
      A tuple (outputs, state): outputs [batch_size x num_decoder_symbols] per decoder
      input (or [batch_size x output_size] with an output_projection).
    """
    with _v1.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(_copy_cell(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = _v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def decode(feed_previous_bool, update_embedding):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed_previous_bool,
                update_embedding_for_previous=update_embedding)

        return _decode_feed_previous(feed_previous, decode, len(decoder_inputs),
                                     lambda: encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols,
                               embedding_size, num_decoder_symbols=None,
                               output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """Embedding RNN seq2seq with one embedding and one cell for both sides (r1.15).

    Args:
      encoder_inputs: a list of 1D int32 Tensors [batch_size].
      decoder_inputs: a list of 1D int32 Tensors [batch_size].
      cell: the RNNCell of encoder and decoder.
      num_symbols: number of symbols of the shared ``embedding``.
      embedding_size: the size of an embedding vector.
      num_decoder_symbols: the size of the decoder's outputs (default num_symbols).
      output_projection: None, or a pair (W, B) of the output projection.
      feed_previous: a bool or a scalar bool Tensor, as in `embedding_rnn_seq2seq`.
      dtype: the dtype (default: the scope's, float32).
      scope: variable scope (default "embedding_tied_rnn_seq2seq").

    Returns:
      A tuple (outputs, state) of the decoder.

    Raises:
      ValueError: if `output_projection` has the wrong shape.
    """
    with _v1.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, dtype)
        embedding = _v1.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        emb_encoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
        emb_decoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols if num_decoder_symbols is None else num_decoder_symbols
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, output_symbols)

        def decode(feed_previous_bool, update_embedding):
            loop_function = (_extract_argmax_and_embed(embedding, output_projection,
                                                       update_embedding)
                             if feed_previous_bool else None)
            return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        def zero_state():
            # r1.15 packed the state like the cell's zero state (the encoder's batch).
            static_batch_size = encoder_inputs[0].get_shape()[:1]
            for inp in encoder_inputs[1:]:
                static_batch_size.merge_with(inp.get_shape()[:1])  # raises if they differ
            batch_size = tf.compat.dimension_value(static_batch_size[0])
            if batch_size is None:
                batch_size = tf.shape(encoder_inputs[0])[0]
            return cell.zero_state(batch_size, dtype)

        return _decode_feed_previous(feed_previous, decode, len(decoder_inputs), zero_state)


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """RNN decoder with attention (r1.15 legacy_seq2seq.attention_decoder).

    Bahdanau-style attention as r1.15 computed it: per head a, ``AttnW_a`` (a 1x1
    convolution of the attention states) and ``AttnV_a``; the query's projection in
    ``Attention_a``; each step's input is ``Linear([input] + attns)`` to the input's
    size, and its output ``AttnOutputProjection`` of ``[cell_output] + attns``.

    Args:
      decoder_inputs: a list of 2D Tensors [batch_size x input_size].
      initial_state: 2D Tensor [batch_size x cell.state_size] (or a state tuple).
      attention_states: 3D Tensor [batch_size x attn_length x attn_size].
      cell: the RNNCell.
      output_size: the size of the outputs (default cell.output_size).
      num_heads: the number of attention heads reading from attention_states.
      loop_function: as in `rnn_decoder`.
      dtype: the dtype of the variables (default float32).
      scope: variable scope (default "attention_decoder").
      initial_state_attention: if True, the first step's attention is computed from
        initial_state (else it starts at zeros).

    Returns:
      A tuple (outputs, state): outputs [batch_size x output_size] per input, and the
      final state.

    Raises:
      ValueError: when num_heads is not positive, there are no inputs, shapes of
        attention_states are not set, or an input's size cannot be inferred.
    """
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    attn_size = tf.compat.dimension_value(attention_states.get_shape()[2])
    if attn_size is None:
        raise ValueError("Shape[2] of attention_states must be known: %s"
                         % attention_states.get_shape())
    if output_size is None:
        output_size = cell.output_size

    with _v1.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attn_length = tf.compat.dimension_value(attention_states.get_shape()[1])
        if attn_length is None:
            attn_length = tf.shape(attention_states)[1]
        # The states as a 4D image so that W1 * h_t is a 1x1 convolution.
        hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
        hidden_features = []
        v = []
        attention_vec_size = attn_size
        for a in range(num_heads):
            k = _v1.get_variable("AttnW_%d" % a, [1, 1, attn_size, attention_vec_size],
                                 dtype=dtype)
            hidden_features.append(tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
            v.append(_v1.get_variable("AttnV_%d" % a, [attention_vec_size], dtype=dtype))

        def attention(query):
            """The attention-weighted sums of the states, one per head, for `query`."""
            if tf.nest.is_nested(query):
                query_list = tf.nest.flatten(query)
                for q in query_list:
                    ndims = q.get_shape().ndims
                    if ndims:
                        assert ndims == 2
                query = tf.concat(query_list, 1)
            ds = []
            for a in range(num_heads):
                with _v1.variable_scope("Attention_%d" % a):
                    y = Linear(query, attention_vec_size, True)(query)
                    y = tf.cast(tf.reshape(y, [-1, 1, 1, attention_vec_size]), dtype)
                    s = tf.reduce_sum(v[a] * tf.tanh(hidden_features[a] + y), [2, 3])
                    # r1.15 took the softmax in float32 whatever the dtype.
                    weights = tf.cast(tf.nn.softmax(tf.cast(s, tf.float32)), dtype)
                    d = tf.reduce_sum(tf.reshape(weights, [-1, attn_length, 1, 1]) * hidden,
                                      [1, 2])
                    ds.append(tf.reshape(d, [-1, attn_size]))
            return ds

        outputs = []
        prev = None
        batch_attn_size = tf.stack([batch_size, attn_size])
        attns = [tf.zeros(batch_attn_size, dtype=dtype) for _ in range(num_heads)]
        for a in attns:
            a.set_shape([None, attn_size])
        if initial_state_attention:
            attns = attention(initial_state)
        state = initial_state
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                _v1.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with _v1.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = tf.compat.dimension_value(inp.get_shape().with_rank(2)[1])
            if input_size is None:
                raise ValueError("Could not infer input size from input: %s" % inp.name)
            inputs = [tf.cast(e, dtype) for e in [inp] + attns]
            x = Linear(inputs, input_size, True)(inputs)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with _v1.variable_scope(_v1.get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with _v1.variable_scope("AttnOutputProjection"):
                inputs = [tf.cast(cell_output, dtype)] + attns
                output = Linear(inputs, output_size, True)(inputs)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """Attention decoder over embedded symbols (r1.15 embedding_attention_decoder).

    Args:
      decoder_inputs: a list of 1D int32 Tensors [batch_size].
      initial_state: 2D Tensor [batch_size x cell.state_size] (or a state tuple).
      attention_states: 3D Tensor [batch_size x attn_length x attn_size].
      cell: the RNNCell.
      num_symbols: how many symbols the ``embedding`` embeds.
      embedding_size: the size of an embedding vector.
      num_heads: the number of attention heads.
      output_size: the size of the outputs (default cell.output_size).
      output_projection: None, or a pair (W, B) of the output projection.
      feed_previous: a bool; True feeds back the previous output's argmax.
      update_embedding_for_previous: if False, no gradient flows through the embedding
        of fed-back symbols.
      dtype: the dtype of the variables (default float32).
      scope: variable scope (default "embedding_attention_decoder").
      initial_state_attention: as in `attention_decoder`.

    Returns:
      A tuple (outputs, state) as `attention_decoder`.

    Raises:
      ValueError: if `output_projection`'s biases do not have num_symbols entries.
    """
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        _check_projection(output_projection, num_symbols, dtype, weights=False)
    with _v1.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = _v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (_extract_argmax_and_embed(embedding, output_projection,
                                                   update_embedding_for_previous)
                         if feed_previous else None)
        emb_inp = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(emb_inp, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, num_heads=1,
                                output_projection=None, feed_previous=False, dtype=None,
                                scope=None, initial_state_attention=False):
    """Embedding seq2seq with attention: the TF 1.x translate tutorial's model (r1.15).

    The encoder runs ``EmbeddingWrapper(copy of cell)`` under ``rnn``; its outputs are
    the attention states of an `embedding_attention_decoder` running `cell` (wrapped in
    an OutputProjectionWrapper to num_decoder_symbols unless `output_projection`).

    Args:
      encoder_inputs: a list of 1D int32 Tensors [batch_size].
      decoder_inputs: a list of 1D int32 Tensors [batch_size].
      cell: the RNNCell (copied for the encoder).
      num_encoder_symbols: number of symbols on the encoder side.
      num_decoder_symbols: number of symbols on the decoder side.
      embedding_size: the size of an embedding vector, both sides.
      num_heads: the number of attention heads.
      output_projection: None, or a pair (W, B) of the output projection.
      feed_previous: a bool or a scalar bool Tensor, as in `embedding_rnn_seq2seq`.
      dtype: the dtype of the initial RNN state (default float32).
      scope: variable scope (default "embedding_attention_seq2seq").
      initial_state_attention: as in `attention_decoder`.

    Returns:
      A tuple (outputs, state) of the decoder.
    """
    with _v1.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(_copy_cell(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = _v1.nn.static_rnn(encoder_cell, encoder_inputs,
                                                           dtype=dtype)
        top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = tf.concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decode(feed_previous_bool, update_embedding):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=feed_previous_bool,
                update_embedding_for_previous=update_embedding,
                initial_state_attention=initial_state_attention)

        return _decode_feed_previous(feed_previous, decode, len(decoder_inputs),
                                     lambda: encoder_state)


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict,
                         num_encoder_symbols, num_decoder_symbols_dict, embedding_size,
                         feed_previous=False, dtype=None, scope=None):
    """One encoder, several named embedding RNN decoders (r1.15 one2many_rnn_seq2seq).

    Decoder `name` runs ``OutputProjectionWrapper(dec_cells_dict[name])`` under
    ``one2many_decoder_<name>``, from the state of the embedding encoder.

    Args:
      encoder_inputs: a list of 1D int32 Tensors [batch_size].
      decoder_inputs_dict: name -> list of 1D int32 Tensors [batch_size].
      enc_cell: the encoder's RNNCell.
      dec_cells_dict: name -> the decoder's RNNCell (the same keys).
      num_encoder_symbols: number of symbols on the encoder side.
      num_decoder_symbols_dict: name -> number of symbols of that decoder.
      embedding_size: the size of an embedding vector.
      feed_previous: a bool or a scalar bool Tensor, as in `embedding_rnn_seq2seq`.
      dtype: the dtype of the initial RNN state (default float32).
      scope: variable scope (default "one2many_rnn_seq2seq").

    Returns:
      A tuple (outputs_dict, state_dict), keyed by decoder name.

    Raises:
      TypeError: if enc_cell or a decoder cell is not an RNNCell.
      ValueError: if dec_cells_dict and decoder_inputs_dict have different keys.
    """
    rnn_cell = _v1.nn.rnn_cell.RNNCell
    if not isinstance(enc_cell, rnn_cell):
        raise TypeError("enc_cell is not an RNNCell: %s" % type(enc_cell))
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        # r1.15's message, its typo included.
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, rnn_cell):
            raise TypeError("dec_cell is not an RNNCell: %s" % type(dec_cell))

    outputs_dict = {}
    state_dict = {}
    with _v1.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                    embedding_size=embedding_size)
        _, encoder_state = _v1.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            num_decoder_symbols = num_decoder_symbols_dict[name]
            with _v1.variable_scope("one2many_decoder_" + str(name)):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_decoder_symbols)

                # r1.15 kept updating fed-back embeddings here, even under a cond.
                def decode(feed_previous_bool, _, inputs=decoder_inputs, cell=dec_cell,
                           symbols=num_decoder_symbols):
                    return embedding_rnn_decoder(inputs, encoder_state, cell, symbols,
                                                 embedding_size,
                                                 feed_previous=feed_previous_bool)

                outputs, state = _decode_feed_previous(feed_previous, decode,
                                                       len(decoder_inputs),
                                                       lambda: encoder_state)
            outputs_dict[name] = outputs
            state_dict[name] = state
    return outputs_dict, state_dict


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Weighted cross-entropy of a sequence of logits, per example (r1.15).

    Args:
      logits: a list of 2D Tensors [batch_size x num_decoder_symbols].
      targets: a list of 1D int32 Tensors [batch_size], as long as logits.
      weights: a list of 1D float Tensors [batch_size], as long as logits.
      average_across_timesteps: if True, divide by the sum of the weights (+1e-12).
      softmax_loss_function: ``f(labels=..., logits=...)`` used instead of the sparse
        softmax cross-entropy (for sampled softmax, say).
      name: name scope (default "sequence_loss_by_example").

    Returns:
      1D Tensor [batch_size]: the log-perplexity of each example.

    Raises:
      ValueError: if logits, weights and targets do not have the same length.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         "%d, %d, %d." % (len(logits), len(weights), len(targets)))
    with _v1.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = tf.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = tf.add_n(weights)
            total_size += 1e-12  # r1.15: no division by zero for all-zero weights
            log_perps /= total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """Weighted cross-entropy of a sequence of logits, summed over the batch (r1.15).

    Args:
      logits, targets, weights, average_across_timesteps, softmax_loss_function: as
        in `sequence_loss_by_example`.
      average_across_batch: if True, divide the sum by the batch size.
      name: name scope (default "sequence_loss").

    Returns:
      A scalar float Tensor: the (averaged) log-perplexity.

    Raises:
      ValueError: if logits, weights and targets do not have the same length.
    """
    with _v1.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = tf.shape(targets[0])[0]
            return cost / tf.cast(batch_size, cost.dtype)
        return cost


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """One seq2seq model per bucket, sharing variables (r1.15 model_with_buckets).

    Bucket j = (encoder_length, decoder_length) runs
    ``seq2seq(encoder_inputs[:encoder_length], decoder_inputs[:decoder_length])`` (the
    first creates the variables, the others reuse them) and its loss on that many
    targets and weights.

    Args:
      encoder_inputs: a list of Tensors, at least as long as the largest bucket's.
      decoder_inputs: a list of Tensors, the decoder's inputs.
      targets: a list of 1D int32 Tensors, at least the largest decoder length.
      weights: a list of 1D float Tensors, at least the largest decoder length.
      buckets: a list of pairs (encoder_length, decoder_length), the largest last.
      seq2seq: ``f(encoder_inputs, decoder_inputs) -> (outputs, state)``.
      softmax_loss_function: as in `sequence_loss_by_example`.
      per_example_loss: if True, each loss is `sequence_loss_by_example`'s [batch_size]
        Tensor; else `sequence_loss`'s scalar.
      name: name scope (default "model_with_buckets").

    Returns:
      A tuple (outputs, losses): the outputs of each bucket's model, and its loss.

    Raises:
      ValueError: if encoder_inputs, targets or weights are shorter than the largest
        bucket.
    """
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError("Length of encoder_inputs (%d) must be at least that of last "
                         "bucket (%d)." % (len(encoder_inputs), buckets[-1][0]))
    if len(targets) < buckets[-1][1]:
        raise ValueError("Length of targets (%d) must be at least that of last "
                         "bucket (%d)." % (len(targets), buckets[-1][1]))
    if len(weights) < buckets[-1][1]:
        raise ValueError("Length of weights (%d) must be at least that of last "
                         "bucket (%d)." % (len(weights), buckets[-1][1]))

    all_inputs = encoder_inputs + decoder_inputs + targets + weights
    loss_fn = sequence_loss_by_example if per_example_loss else sequence_loss
    losses = []
    outputs = []
    with _v1.name_scope(name, "model_with_buckets", all_inputs):
        for j, bucket in enumerate(buckets):
            with _v1.variable_scope(_v1.get_variable_scope(),
                                    reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:bucket[0]],
                                            decoder_inputs[:bucket[1]])
                outputs.append(bucket_outputs)
                losses.append(loss_fn(bucket_outputs, targets[:bucket[1]],
                                      weights[:bucket[1]],
                                      softmax_loss_function=softmax_loss_function))
    return outputs, losses
