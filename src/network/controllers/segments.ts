/**
 * The Segment objects that record what IPAM handed out: created when a block, segment or subnet is
 * allocated, deleted when it is released, their status (addresses used, node ports) kept current.
 * The store is the record IPAM is rebuilt from after a restart, so an allocation is only used once
 * its Segment is written.
 */
import { AlreadyExistsError, API_VERSION, NotFoundError } from '../../api/index.js';
import { SEGMENT_LABELS, type SegmentObject, type SegmentSpec, type SegmentStatus } from '../../api/kinds/network-kinds.js';
import type { Informer } from '../../controllers/index.js';
import { cidrSize, parseCidr } from '../ipam/index.js';
import type { Store } from '../../store/index.js';
import { segmentNames } from './names.js';

export function segmentName(spec: Pick<SegmentSpec, 'role' | 'tenant' | 'cluster' | 'namespace'>): string {
  if (spec.role === 'TenantBlock') return segmentNames.tenantBlock(spec.tenant);
  if (spec.role === 'NodeSegment') return segmentNames.nodeSegment(spec.cluster ?? '');
  return segmentNames.podSubnet(spec.cluster ?? '', spec.namespace ?? '');
}

function labelsOf(spec: SegmentSpec): Record<string, string> {
  return {
    [SEGMENT_LABELS.role]: spec.role,
    [SEGMENT_LABELS.tenant]: spec.tenant,
    ...(spec.cluster ? { [SEGMENT_LABELS.cluster]: spec.cluster } : {}),
    ...(spec.namespace ? { [SEGMENT_LABELS.namespace]: spec.namespace } : {}),
  };
}

/** Addresses a segment with a gateway can hand out (network, gateway and broadcast are reserved). */
export function segmentCapacity(cidr: string): number {
  const c = parseCidr(cidr);
  return c.prefix <= 30 ? cidrSize(c) - 3 : cidrSize(c);
}

export class SegmentWriter {
  constructor(
    private readonly store: Store,
    private readonly segments: Informer<SegmentObject>,
  ) {}

  /** Records `spec` (idempotent): creates the Segment, or rewrites it when it says something else. */
  async ensure(spec: SegmentSpec): Promise<void> {
    const name = segmentName(spec);
    const cached = this.segments.get(name);
    if (cached && JSON.stringify(cached.spec) === JSON.stringify(spec)) return;
    const obj: SegmentObject = { apiVersion: API_VERSION, kind: 'Segment', metadata: { name, labels: labelsOf(spec) }, spec };
    try {
      await this.store.create(obj);
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      const old = await this.store.get<SegmentObject>('Segment', '', name);
      if (JSON.stringify(old.spec) !== JSON.stringify(spec)) await this.store.update({ ...old, metadata: { ...old.metadata, labels: labelsOf(spec) }, spec });
    }
  }

  async remove(name: string): Promise<void> {
    await this.store.delete('Segment', '', name).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  }

  /** Writes a Segment's status when it changed; false while the Segment is not in the cache yet. */
  async status(name: string, status: SegmentStatus): Promise<boolean> {
    const seg = this.segments.get(name);
    if (!seg) return false;
    if (JSON.stringify(seg.status ?? {}) === JSON.stringify(status)) return true;
    const { resourceVersion: _rv, ...meta } = seg.metadata;
    await this.store.update({ ...seg, metadata: meta, status }, { subresource: 'status' }).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
    return true;
  }

  /** Segments of a cluster (its node segment and pod subnets). */
  ofCluster(cluster: string): SegmentObject[] {
    return this.segments.list().filter((s) => s.spec?.cluster === cluster);
  }

  all(): SegmentObject[] {
    return this.segments.list();
  }
}
