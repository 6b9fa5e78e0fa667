/**
 * What a Namespace asks of its pod subnet, from its annotations: an exact CIDR
 * (`network.bulkhead.dev/subnet`) or a size (`network.bulkhead.dev/subnet-prefix`), else the
 * platform default. Checked at the API (422 naming the annotation, including an exact subnet that
 * overlaps one the tenant's Segments record) and again by the IPAM controller, which is the
 * authority (a request that lost a race is reported in the Namespace's NetworkReady condition).
 */
import { SUBNET_ANNOTATION, SUBNET_PREFIX_ANNOTATION, type FieldCause } from '../../api/index.js';
import { SEGMENT_LABELS, type SegmentObject } from '../../api/kinds/network-kinds.js';
import type { StoreOps } from '../../store/index.js';
import { cidrContainsCidr, cidrsOverlap, MAX_SEGMENT_PREFIX, tryParseCidr, type BlockRequest } from '../ipam/index.js';

/** Problems of a Namespace's subnet annotations (field paths name the annotation). */
export function subnetAnnotationCauses(annotations: Readonly<Record<string, string>> | undefined, tenantBlockPrefix: number): FieldCause[] {
  const causes: FieldCause[] = [];
  const prefix = annotations?.[SUBNET_PREFIX_ANNOTATION];
  const cidr = annotations?.[SUBNET_ANNOTATION];
  if (prefix !== undefined) {
    const n = Number(prefix);
    if (!/^\d+$/.test(prefix) || n < tenantBlockPrefix || n > MAX_SEGMENT_PREFIX)
      causes.push({ field: `metadata.annotations[${SUBNET_PREFIX_ANNOTATION}]`, message: `"${prefix}" is not a prefix length from ${tenantBlockPrefix} to ${MAX_SEGMENT_PREFIX}` });
  }
  if (cidr !== undefined) {
    const c = tryParseCidr(cidr);
    if (!c) causes.push({ field: `metadata.annotations[${SUBNET_ANNOTATION}]`, message: `"${cidr}" is not a CIDR with host bits clear (e.g. 10.0.9.0/24)` });
    else if (c.prefix > MAX_SEGMENT_PREFIX) causes.push({ field: `metadata.annotations[${SUBNET_ANNOTATION}]`, message: `${cidr} is too small for a segment (want /${MAX_SEGMENT_PREFIX} or larger)` });
    if (prefix !== undefined) causes.push({ field: `metadata.annotations[${SUBNET_ANNOTATION}]`, message: `may not be combined with ${SUBNET_PREFIX_ANNOTATION}` });
  }
  return causes;
}

/** The block request the annotations make (assumed valid). */
export function subnetRequest(annotations: Readonly<Record<string, string>> | undefined): BlockRequest {
  const cidr = annotations?.[SUBNET_ANNOTATION];
  if (cidr !== undefined) return { cidr };
  const prefix = annotations?.[SUBNET_PREFIX_ANNOTATION];
  return prefix !== undefined ? { prefix: Number(prefix) } : {};
}

/** Why an exact subnet annotation cannot be had in `tenant`'s block, from the Segments recorded so far. */
export async function subnetConflictCauses(store: Pick<StoreOps, 'list'>, tenant: string | undefined, annotations: Readonly<Record<string, string>> | undefined): Promise<FieldCause[]> {
  const text = annotations?.[SUBNET_ANNOTATION];
  const wanted = text === undefined ? undefined : tryParseCidr(text);
  if (!tenant || !wanted) return [];
  const field = `metadata.annotations[${SUBNET_ANNOTATION}]`;
  const segs = (await store.list<SegmentObject>('Segment', { labelSelector: `${SEGMENT_LABELS.tenant}=${tenant}` })).items;
  const causes: FieldCause[] = [];
  for (const s of segs) {
    const c = s.spec ? tryParseCidr(s.spec.cidr) : undefined;
    if (!s.spec || !c) continue;
    if (s.spec.role === 'TenantBlock') {
      if (!cidrContainsCidr(c, wanted)) causes.push({ field, message: `${text ?? ''} is outside tenant ${tenant}'s block ${s.spec.cidr}` });
    } else if (cidrsOverlap(c, wanted)) {
      const holder = s.spec.role === 'NodeSegment' ? `the node segment of cluster ${s.spec.cluster ?? ''}` : `namespace ${s.spec.cluster ?? ''}/${s.spec.namespace ?? ''}`;
      causes.push({ field, message: `${text ?? ''} overlaps ${s.spec.cidr} held by ${holder}` });
    }
  }
  return causes;
}
