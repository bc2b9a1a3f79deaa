/**
 * Sequence-to-sequence models over token ids and their decoding: the base class
 * {@link io.jgrad.models.seq2seq.Seq2Seq} (teacher-forced training through a {@code Trainer},
 * {@code greedyDecode} and {@code beamSearch}), an LSTM encoder-decoder with attention
 * ({@link io.jgrad.models.seq2seq.LstmSeq2Seq}, Luong et al. 2015), the Transformer
 * ({@link io.jgrad.models.seq2seq.TransformerSeq2Seq}, Vaswani et al. 2017), the model-independent
 * {@link io.jgrad.models.seq2seq.Decoding} of any {@link io.jgrad.models.seq2seq.StepScorer}, and
 * {@link io.jgrad.models.seq2seq.SequenceCrossEntropyLoss}.
 *
 * <pre>{@code
 * Seq2Seq model = new LstmSeq2Seq(vocab, vocab, SpecialTokens.DEFAULT, 32, 128, 1, 0, true);
 * // train: inputs (source (N, S), target in (N, T)), target out (N, T), all INT32 ids
 * Trainer t = Trainer.builder(model, new SequenceCrossEntropyLoss(0), new Adam(model.parameters())).build();
 * Hypothesis best = model.beamSearch(new int[] {8, 6, 13, 9}, 3, 6).get(0);
 * }</pre>
 */
package io.jgrad.models.seq2seq;
