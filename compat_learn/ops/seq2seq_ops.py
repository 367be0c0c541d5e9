"""Sequence-to-sequence ops of TensorFlow Learn (r1.15 .../learn/ops/seq2seq_ops.py).

Cells are TF 1.x RNN cells (``tf.compat.v1.nn.rnn_cell``; r1.15 scripts used
``tf.contrib.rnn``). Native TF2 replacement: ``tf.keras.layers.RNN`` / tensorflow_addons
seq2seq.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["rnn_decoder", "rnn_seq2seq", "seq2seq_inputs", "sequence_classifier"]

_v1 = tf.compat.v1
_REPLACEMENT = "tf.nn / tf.keras.layers directly"


def sequence_classifier(decoding, labels, sampling_decoding=None, name=None):
    """Softmax predictions and the summed cross-entropy of a sequence of logits.

    Args:
      decoding: a list of ``[batch, n_classes]`` logits, one per step.
      labels: a list of one-hot labels of the same shapes.
      sampling_decoding: optional logits the predictions are taken from instead.
      name: the name scope.

    Returns:
      ``(predictions, loss)``: ``[batch, steps, n_classes]`` probabilities and a scalar.
    """
    warn_deprecated("tf.contrib.learn.ops.sequence_classifier", _REPLACEMENT)
    with _v1.name_scope(name, "sequence_classifier", [decoding, labels]):
        predictions, xents = [], []
        for i, logits in enumerate(decoding):
            xents.append(tf.nn.softmax_cross_entropy_with_logits(
                labels=labels[i], logits=logits, name=f"sequence_loss/xent_raw{i}"))
            source = sampling_decoding[i] if sampling_decoding else logits
            predictions.append(tf.nn.softmax(source))
        xent = tf.add_n(xents, name="sequence_loss/xent")
        loss = tf.reduce_sum(xent, name="sequence_loss")
        return tf.stack(predictions, axis=1), loss


def seq2seq_inputs(x, y, input_length, output_length, sentinel=None, name=None):
    """Splits `x` and `y` into per-step lists for an encoder and a decoder.

    Args:
      x: ``[batch, input_length, embed_dim]`` encoder input.
      y: ``[batch, output_length, embed_dim]`` decoder target.
      input_length: the length of `x` (unused, as in r1.15).
      output_length: the length of `y` (unused, as in r1.15).
      sentinel: the first decoder input and last expected output; zeros of the shape
        of one step of `y` (batch size taken from `x`) when not given.
      name: the name scope.

    Returns:
      ``(encoder_inputs, decoder_inputs, decoder_outputs)``: lists of tensors, the
      decoder lists one longer than `y`'s steps.
    """
    warn_deprecated("tf.contrib.learn.ops.seq2seq_inputs", _REPLACEMENT)
    with _v1.name_scope(name, "seq2seq_inputs", [x, y]):
        in_x = tf.unstack(x, axis=1)
        y = tf.unstack(y, axis=1)
        # r1.15 tested `if not sentinel`, which a graph tensor cannot answer; a given
        # sentinel is used as it is here.
        if sentinel is None:
            sentinel = tf.zeros(tf.stack([tf.shape(x)[0], y[0].get_shape()[1]]))
            sentinel.set_shape(y[0].get_shape())
        return in_x, [sentinel] + y, y + [sentinel]


def _decode(decoder_inputs, initial_state, cell, scope):
    with _v1.variable_scope(scope or "dnn_decoder"):
        states, sampling_states = [initial_state], [initial_state]
        outputs, sampling_outputs = [], []
        with _v1.name_scope("training", values=[decoder_inputs, initial_state]):
            for i, inp in enumerate(decoder_inputs):
                if i > 0:
                    _v1.get_variable_scope().reuse_variables()
                output, state = cell(inp, states[-1])
                outputs.append(output)
                states.append(state)
        # The sampling sub-graph feeds each output back as the next input, with the
        # training sub-graph's variables.
        with _v1.name_scope("sampling", values=[initial_state]):
            for i in range(len(decoder_inputs)):
                if i == 0:
                    sampling_outputs.append(outputs[0])
                    sampling_states.append(states[0])
                else:
                    output, state = cell(sampling_outputs[-1], sampling_states[-1])
                    sampling_outputs.append(output)
                    sampling_states.append(state)
    return outputs, states, sampling_outputs, sampling_states


def rnn_decoder(decoder_inputs, initial_state, cell, scope=None):
    """An RNN decoder with a training and a sampling sub-graph.

    Returns:
      ``(outputs, states, sampling_outputs, sampling_states)``.
    """
    warn_deprecated("tf.contrib.learn.ops.rnn_decoder", _REPLACEMENT)
    return _decode(decoder_inputs, initial_state, cell, scope)


def rnn_seq2seq(encoder_inputs, decoder_inputs, encoder_cell, decoder_cell=None,
                dtype=tf.float32, scope=None):
    """An RNN encoder (``static_rnn``) whose last state starts `rnn_decoder`.

    Returns:
      ``(outputs, states, sampling_outputs, sampling_states)`` of the decoder.
    """
    warn_deprecated("tf.contrib.learn.ops.rnn_seq2seq", _REPLACEMENT)
    with _v1.variable_scope(scope or "rnn_seq2seq"):
        _, last_state = _v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        return _decode(decoder_inputs, last_state, decoder_cell or encoder_cell, None)
