// Cheap token estimate for chunk sizing and repo-map budgets: ~4 characters per token, the usual figure for
// code and English with BPE tokenizers. It decides where chunks split, never what a model is billed, so the
// few percent it is off by only moves a boundary; a real tokenizer per chunk would cost more than the parse.
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
