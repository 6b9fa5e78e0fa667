/** Score normalisation helpers (kube's DefaultNormalizeScore). */

/** Scales scores so the best of the sample is 100; all-zero samples stay zero. */
export function normalizeToMax(scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, scores[i] ?? 0);
  if (max <= 0) return;
  const f = 100 / max;
  for (let i = 0; i < count; i++) scores[i] = (scores[i] ?? 0) * f;
}
