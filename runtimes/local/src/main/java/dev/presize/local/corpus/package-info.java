/**
 * Corpora of recorded runs: a suite of commands recorded over input sizes and repeats ({@link
 * dev.presize.local.corpus.SuiteRunner}), the manifest that lists them ({@link
 * dev.presize.local.corpus.CorpusManifest}), and per-workload statistics computed from the traces ({@link
 * dev.presize.local.corpus.CorpusStats}).
 */
package dev.presize.local.corpus;
