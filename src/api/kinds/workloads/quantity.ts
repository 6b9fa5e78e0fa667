/**
 * Kubernetes resource quantities ("500m", "1", "0.5", "512Mi", "1Gi", "1e3") accepted at the API
 * edge for compatibility, converted once to the integers Bulkhead computes with: milli-CPU and
 * MiB. Fractions round up, as the kubelet does, so a request is never under-counted.
 */

/** A parsed quantity or the reason it is not one (an expected outcome, not an exception). */
export type QuantityResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const NUMBER = /^([+]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/;

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value in base units (cores, bytes), or why it is not a quantity. */
export function parseQuantity(input: unknown): QuantityResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, message: `must be a non-negative quantity, got ${input}` };
    return { ok: true, value: input };
  }
  if (typeof input !== 'string') return { ok: false, message: 'must be a quantity string such as "500m", "1", "512Mi" or "1Gi"' };
  const m = NUMBER.exec(input.trim());
  if (!m) return { ok: false, message: `"${input}" is not a quantity; use e.g. "500m", "1", "512Mi" or "1Gi"` };
  const [, digits, exp, suffix = ''] = m;
  if (exp !== undefined && suffix !== '') return { ok: false, message: `"${input}" is not a quantity: an exponent cannot have a suffix` };
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  if (mult === undefined) return { ok: false, message: `"${input}" has an unknown suffix "${suffix}"; use m, k, M, G, T, Ki, Mi, Gi or Ti` };
  const value = Number(digits) * mult * (exp !== undefined ? 10 ** Number(exp) : 1);
  if (!Number.isFinite(value)) return { ok: false, message: `"${input}" is too large` };
  return { ok: true, value };
}

/** CPU in milli-cores, rounded up ("500m" -> 500, "1" -> 1000, "0.1" -> 100). */
export function parseCpuMillis(input: unknown): QuantityResult {
  const q = parseQuantity(input);
  if (!q.ok) return q;
  return { ok: true, value: Math.ceil(round9(q.value * 1000)) };
}

/** Memory in MiB, rounded up ("512Mi" -> 512, "1Gi" -> 1024, "1G" -> 954). */
export function parseMemoryMiB(input: unknown): QuantityResult {
  const q = parseQuantity(input);
  if (!q.ok) return q;
  if (typeof input === 'string' && /m$/.test(input.trim())) return { ok: false, message: `"${input}" is milli-bytes; memory takes Mi, Gi, M, G or plain bytes` };
  return { ok: true, value: Math.ceil(round9(q.value / 2 ** 20)) };
}

// Removes float noise (0.1 * 1000 = 100.00000000000001) before rounding up.
function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Milli-CPU as Kubernetes prints it: "1500m" -> "1500m", 2000 -> "2". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** MiB as Kubernetes prints it: 1024 -> "1Gi", 512 -> "512Mi". */
export function formatMemory(mib: number): string {
  return mib % 1024 === 0 && mib > 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
