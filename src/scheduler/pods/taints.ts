/**
 * Taints on node VMs and the toleration rules. A VM carries taints in the annotation
 * `bulkhead.dev/taints` as a comma-separated list of `key[=value]:Effect`, e.g.
 * `dedicated=gpu:NoSchedule,spot:PreferNoSchedule`; malformed entries are ignored. A pod fits a
 * node when it tolerates every NoSchedule and NoExecute taint (Kubernetes' TaintToleration).
 */
import { TAINT_EFFECTS, type TaintEffect, type Toleration } from '../../api/index.js';
import type { Taint } from './node-info.js';

export const TAINTS_ANNOTATION = 'bulkhead.dev/taints';

export function parseTaints(annotation: string | undefined): Taint[] {
  if (!annotation) return [];
  const out: Taint[] = [];
  for (const part of annotation.split(',')) {
    const m = /^\s*([^=:\s]+)(?:=([^:\s]*))?:(\w+)\s*$/.exec(part);
    if (!m || !(TAINT_EFFECTS as readonly string[]).includes(m[3] ?? '')) continue;
    out.push({ key: m[1] ?? '', value: m[2] ?? '', effect: m[3] as TaintEffect });
  }
  return out;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === taint.value;
}

/** The first NoSchedule/NoExecute taint no toleration covers, or undefined. */
export function untolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
