"""A 2017 char-RNN trainer and character sequence classifier (run with --tf1).

Part one has the shape of the popular char-rnn-tensorflow trainers: a TextLoader
preprocesses input.txt into vocab.pkl and data.npy, a Model class stacks
tf.contrib.rnn.BasicLSTMCell in MultiRNNCell with DropoutWrapper, unrolls them with
legacy_seq2seq.rnn_decoder(scope='rnnlm') over embedded characters, takes
legacy_seq2seq.sequence_loss_by_example, clips gradients, trains with AdamOptimizer in a
tf.Session loop that carries the LSTMStateTuple state from batch to batch, saves with
tf.train.Saver (and config.pkl / chars_vocab.pkl), then rebuilds a one-character model
that restores the checkpoint and samples text, and a many-step model whose loop_function
feeds each argmax back in. Part two is TF 1.1's
examples/learn/text_classification_character_rnn.py:
a GRUCell under static_rnn in a contrib learn.Estimator model_fn with fit(x, y) and
predict(x). Part three is the 2017 time-series tutorial shape (Hands-On ML, chapter 14):
OutputProjectionWrapper(BasicRNNCell) under tf.nn.dynamic_rnn predicting the next value
of a sine wave. The documents and the series are generated here; input.txt is in
--data_dir.
"""
import argparse
import codecs
import json
import os
import sys

import numpy as np
import tensorflow as tf
from six.moves import cPickle
from tensorflow.contrib import learn
from tensorflow.contrib import legacy_seq2seq
from tensorflow.contrib import rnn

FLAGS = None


# --------------------------------------------------------------------------- part one
class TextLoader(object):
    def __init__(self, data_dir, batch_size, seq_length, encoding="utf-8"):
        self.batch_size = batch_size
        self.seq_length = seq_length
        input_file = os.path.join(data_dir, "input.txt")
        vocab_file = os.path.join(data_dir, "vocab.pkl")
        tensor_file = os.path.join(data_dir, "data.npy")
        if not (os.path.exists(vocab_file) and os.path.exists(tensor_file)):
            print("reading text file")
            self.preprocess(input_file, vocab_file, tensor_file, encoding)
        else:
            print("loading preprocessed files")
            self.load_preprocessed(vocab_file, tensor_file)
        self.create_batches()
        self.reset_batch_pointer()

    def preprocess(self, input_file, vocab_file, tensor_file, encoding):
        with codecs.open(input_file, "r", encoding=encoding) as f:
            data = f.read()
        self.chars = sorted(set(data))
        self.vocab_size = len(self.chars)
        self.vocab = dict(zip(self.chars, range(len(self.chars))))
        with open(vocab_file, "wb") as f:
            cPickle.dump(self.chars, f)
        self.tensor = np.array(list(map(self.vocab.get, data)))
        np.save(tensor_file, self.tensor)

    def load_preprocessed(self, vocab_file, tensor_file):
        with open(vocab_file, "rb") as f:
            self.chars = cPickle.load(f)
        self.vocab_size = len(self.chars)
        self.vocab = dict(zip(self.chars, range(len(self.chars))))
        self.tensor = np.load(tensor_file)

    def create_batches(self):
        self.num_batches = int(self.tensor.size / (self.batch_size * self.seq_length))
        self.tensor = self.tensor[:self.num_batches * self.batch_size * self.seq_length]
        xdata = self.tensor
        ydata = np.copy(self.tensor)
        ydata[:-1] = xdata[1:]
        ydata[-1] = xdata[0]
        self.x_batches = np.split(xdata.reshape(self.batch_size, -1), self.num_batches, 1)
        self.y_batches = np.split(ydata.reshape(self.batch_size, -1), self.num_batches, 1)

    def next_batch(self):
        x, y = self.x_batches[self.pointer], self.y_batches[self.pointer]
        self.pointer += 1
        return x, y

    def reset_batch_pointer(self):
        self.pointer = 0


class Model(object):
    def __init__(self, args, training=True, length=1):
        self.args = args
        if not training:
            args.batch_size = 1
            args.seq_length = length
        cells = []
        for _ in range(args.num_layers):
            cell = rnn.BasicLSTMCell(args.rnn_size)
            if training and args.output_keep_prob < 1.0:
                cell = rnn.DropoutWrapper(cell, output_keep_prob=args.output_keep_prob)
            cells.append(cell)
        self.cell = cell = rnn.MultiRNNCell(cells, state_is_tuple=True)

        self.input_data = tf.placeholder(tf.int32, [args.batch_size, args.seq_length])
        self.targets = tf.placeholder(tf.int32, [args.batch_size, args.seq_length])
        self.initial_state = cell.zero_state(args.batch_size, tf.float32)

        with tf.variable_scope("rnnlm"):
            softmax_w = tf.get_variable("softmax_w", [args.rnn_size, args.vocab_size])
            softmax_b = tf.get_variable("softmax_b", [args.vocab_size])
            with tf.device("/cpu:0"):
                embedding = tf.get_variable("embedding", [args.vocab_size, args.rnn_size])
                inputs = tf.split(tf.nn.embedding_lookup(embedding, self.input_data),
                                  args.seq_length, 1)
                inputs = [tf.squeeze(input_, [1]) for input_ in inputs]

        def loop(prev, _):
            prev = tf.matmul(prev, softmax_w) + softmax_b
            prev_symbol = tf.stop_gradient(tf.argmax(prev, 1))
            return tf.nn.embedding_lookup(embedding, prev_symbol)

        outputs, last_state = legacy_seq2seq.rnn_decoder(
            inputs, self.initial_state, cell, loop_function=loop if not training else None,
            scope="rnnlm")
        output = tf.reshape(tf.concat(outputs, 1), [-1, args.rnn_size])
        self.logits = tf.matmul(output, softmax_w) + softmax_b
        self.probs = tf.nn.softmax(self.logits)
        loss = legacy_seq2seq.sequence_loss_by_example(
            [self.logits],
            [tf.reshape(self.targets, [-1])],
            [tf.ones([args.batch_size * args.seq_length])],
            args.vocab_size)  # TF 0.x's num_decoder_symbols: now average_across_timesteps
        self.cost = tf.reduce_sum(loss) / args.batch_size / args.seq_length
        self.final_state = last_state
        self.lr = tf.Variable(0.0, trainable=False)
        tvars = tf.trainable_variables()
        grads, _ = tf.clip_by_global_norm(tf.gradients(self.cost, tvars), args.grad_clip)
        optimizer = tf.train.AdamOptimizer(self.lr)
        self.train_op = optimizer.apply_gradients(zip(grads, tvars))

    def prime_state(self, sess, vocab, prime):
        state = sess.run(self.cell.zero_state(1, tf.float32))
        for char in prime[:-1]:
            feed = {self.input_data: [[vocab[char]]], self.initial_state: state}
            state = sess.run(self.final_state, feed)
        return state

    def sample(self, sess, chars, vocab, num, prime):
        state = self.prime_state(sess, vocab, prime)
        ret, char = prime, prime[-1]
        for _ in range(num):
            feed = {self.input_data: [[vocab[char]]], self.initial_state: state}
            probs, state = sess.run([self.probs, self.final_state], feed)
            char = chars[int(np.argmax(probs[0]))]
            ret += char
        return ret

    def generate(self, sess, chars, vocab, state, char):
        # one run: the loop_function feeds each step's argmax to the next step
        x = np.zeros((1, self.args.seq_length), np.int32)
        x[0, 0] = vocab[char]
        probs = sess.run(self.probs, {self.input_data: x, self.initial_state: state})
        return "".join(chars[int(i)] for i in np.argmax(probs, 1))


def train_char_rnn(save_dir):
    args = argparse.Namespace(data_dir=FLAGS.data_dir, save_dir=save_dir, rnn_size=16,
                              num_layers=2, batch_size=4, seq_length=10, grad_clip=5.0,
                              learning_rate=0.02, decay_rate=0.97, output_keep_prob=0.9,
                              num_epochs=FLAGS.epochs)
    data_loader = TextLoader(args.data_dir, args.batch_size, args.seq_length)
    args.vocab_size = data_loader.vocab_size
    tf.gfile.MakeDirs(args.save_dir)
    with open(os.path.join(args.save_dir, "config.pkl"), "wb") as f:
        cPickle.dump(args, f)
    with open(os.path.join(args.save_dir, "chars_vocab.pkl"), "wb") as f:
        cPickle.dump((data_loader.chars, data_loader.vocab), f)
    losses = []
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        model = Model(args)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver = tf.train.Saver(tf.global_variables())
            for e in range(args.num_epochs):
                sess.run(tf.assign(model.lr, args.learning_rate * (args.decay_rate ** e)))
                data_loader.reset_batch_pointer()
                state = sess.run(model.initial_state)
                for _ in range(data_loader.num_batches):
                    x, y = data_loader.next_batch()
                    feed = {model.input_data: x, model.targets: y}
                    for i, (c, h) in enumerate(model.initial_state):
                        feed[c] = state[i].c
                        feed[h] = state[i].h
                    train_loss, state, _ = sess.run(
                        [model.cost, model.final_state, model.train_op], feed)
                    losses.append(float(train_loss))
            checkpoint = saver.save(sess, os.path.join(args.save_dir, "model.ckpt"),
                                    global_step=len(losses))
    names = sorted(name for name, _ in tf.train.list_variables(checkpoint)
                   if "Adam" not in name and "power" not in name)
    return {"losses": [losses[0], losses[-1]], "steps": len(losses), "variables": names}


def sample_char_rnn(save_dir, prime="hello ", n=24):
    with open(os.path.join(save_dir, "config.pkl"), "rb") as f:
        saved_args = cPickle.load(f)
    with open(os.path.join(save_dir, "chars_vocab.pkl"), "rb") as f:
        chars, vocab = cPickle.load(f)
    with tf.Graph().as_default():
        model = Model(saved_args, training=False)
        with tf.Session() as sess:
            saver = tf.train.Saver(tf.global_variables())
            saver.restore(sess, tf.train.get_checkpoint_state(save_dir).model_checkpoint_path)
            sampled = model.sample(sess, chars, vocab, n, prime)
            state = model.prime_state(sess, vocab, prime)
    with tf.Graph().as_default():
        model = Model(saved_args, training=False, length=n)
        with tf.Session() as sess:
            tf.train.Saver(tf.global_variables()).restore(
                sess, tf.train.latest_checkpoint(save_dir))
            generated = model.generate(sess, chars, vocab, state, prime[-1])
    return {"sample": sampled, "loop_sample": generated}


# --------------------------------------------------------------------------- part two
MAX_DOCUMENT_LENGTH = 12
HIDDEN_SIZE = 12
N_CLASSES = 3
WORDS = [["goal", "match", "coach"], ["atom", "cell", "laser"], ["song", "band", "album"]]


def fake_documents(n, rng):
    x = np.zeros((n, MAX_DOCUMENT_LENGTH), dtype=np.uint8)
    y = rng.randint(N_CLASSES, size=n)
    for row, label in enumerate(y):
        doc = " ".join(rng.choice(WORDS[label], 3)).encode("utf-8")[:MAX_DOCUMENT_LENGTH]
        x[row, :len(doc)] = list(bytearray(doc))
    return x, y.astype(np.int32)


def char_rnn_model(features, target):
    """Character level recurrent neural network model to predict classes."""
    target = tf.one_hot(target, N_CLASSES, 1, 0)
    byte_list = tf.one_hot(features, 256, 1., 0.)
    byte_list = tf.unstack(byte_list, axis=1)

    cell = tf.contrib.rnn.GRUCell(HIDDEN_SIZE)
    _, encoding = tf.contrib.rnn.static_rnn(cell, byte_list, dtype=tf.float32)

    logits = tf.contrib.layers.fully_connected(encoding, N_CLASSES, activation_fn=None)
    loss = tf.contrib.losses.softmax_cross_entropy(logits, target)

    train_op = tf.contrib.layers.optimize_loss(
        loss, tf.contrib.framework.get_global_step(),
        optimizer="Adam", learning_rate=0.05)
    return ({"class": tf.argmax(logits, 1), "prob": tf.nn.softmax(logits)}, loss, train_op)


def classify(model_dir):
    rng = np.random.RandomState(0)
    x_train, y_train = fake_documents(120, rng)
    x_test, y_test = fake_documents(30, rng)
    classifier = learn.Estimator(model_fn=char_rnn_model, model_dir=model_dir)
    classifier.fit(x_train, y_train, steps=FLAGS.steps, batch_size=30)
    y_predicted = [p["class"] for p in classifier.predict(x_test, as_iterable=True)]
    return {"accuracy": float(np.mean(np.array(y_predicted) == y_test)),
            "predictions": len(y_predicted),
            "global_step": int(classifier.get_variable_value("global_step")),
            "variables": sorted(n for n in classifier.get_variable_names()
                                if n.startswith("rnn/"))}


# ------------------------------------------------------------------------- part three
t_min, t_max = 0, 30
resolution = 0.1


def time_series(t):
    return t * np.sin(t) / 3 + 2 * np.sin(t * 5)


def next_batch(rng, batch_size, n_steps):
    t0 = rng.rand(batch_size, 1) * (t_max - t_min - n_steps * resolution)
    Ts = t0 + np.arange(0., n_steps + 1) * resolution
    ys = time_series(Ts)
    return ys[:, :-1].reshape(-1, n_steps, 1), ys[:, 1:].reshape(-1, n_steps, 1)


def train_time_series():
    n_steps, n_inputs, n_neurons, n_outputs = 20, 1, 20, 1
    rng = np.random.RandomState(42)
    with tf.Graph().as_default():
        tf.set_random_seed(42)
        X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
        y = tf.placeholder(tf.float32, [None, n_steps, n_outputs])
        cell = tf.contrib.rnn.OutputProjectionWrapper(
            tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu),
            output_size=n_outputs)
        outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(outputs - y))
        training_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss)
        names = sorted(v.op.name for v in tf.trainable_variables())
        mse = []
        with tf.Session() as sess:
            tf.global_variables_initializer().run()
            for iteration in range(FLAGS.iterations):
                X_batch, y_batch = next_batch(rng, 50, n_steps)
                _, batch_mse = sess.run([training_op, loss], feed_dict={X: X_batch, y: y_batch})
                mse.append(float(batch_mse))
    return {"mse": [mse[0], mse[-1]], "variables": names}


def main(unused_argv):
    tf.gfile.MakeDirs(FLAGS.output_dir)
    lm = train_char_rnn(os.path.join(FLAGS.output_dir, "char_rnn"))
    lm.update(sample_char_rnn(os.path.join(FLAGS.output_dir, "char_rnn")))
    classifier = classify(os.path.join(FLAGS.output_dir, "classifier"))
    series = train_time_series()
    print("RESULT " + json.dumps({"char_rnn": lm, "classifier": classifier,
                                  "time_series": series}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--data_dir", default="data/tinyshakespeare")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--iterations", type=int, default=150)
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
