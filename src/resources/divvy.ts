/**
 * The cluster-level divvy of one resource over a zone's pool tree (DRS's view: the zone as one big
 * host). Bottom-up, each node's demand is the sum of its children's (capped at its limit) and its
 * floor is its reservation, or its children's floors when those are larger (expandable), never more
 * than its demand. Top-down, the zone's capacity is divided among the root's children by
 * `waterFill` (floors first, then shares, capped at demand), and each pool's entitlement among its
 * own children the same way, down to the VMs.
 */
import type { PoolNode, PoolTree, ResourceKind } from './pool-tree.js';
import type { ResolvedResource } from './vm-load.js';
import { waterFill } from './water-fill.js';

/** One pool tree node's figures for one resource. */
export interface NodeFigures {
  /** Demand of everything below it, capped by limits on the way up. */
  readonly demand: number;
  /** What it is guaranteed (reservation, bounded by demand). */
  readonly floor: number;
  /** Its share of its parent's entitlement. */
  readonly entitlement: number;
}

/** Entitlement per VM (index-aligned) and figures per pool tree node. */
export interface DivvyResult {
  readonly vm: Float64Array;
  /**
   * 1 where a pool above the VM is held by its limit (its children want more): the VM's
   * entitlement is then a hard ceiling, since its host may not hand it idle capacity either.
   */
  readonly poolLimited: Uint8Array;
  readonly nodes: ReadonlyMap<string, NodeFigures>;
}

// Reused per-node buffers (views of the right length); grown on demand.
let buffer = { floors: new Float64Array(256), caps: new Float64Array(256), weights: new Float64Array(256), out: new Float64Array(256) };

function scratch(n: number): { floors: Float64Array; caps: Float64Array; weights: Float64Array; out: Float64Array } {
  if (buffer.floors.length < n) {
    const size = Math.max(n, buffer.floors.length * 2);
    buffer = { floors: new Float64Array(size), caps: new Float64Array(size), weights: new Float64Array(size), out: new Float64Array(size) };
  }
  return { floors: buffer.floors.subarray(0, n), caps: buffer.caps.subarray(0, n), weights: buffer.weights.subarray(0, n), out: buffer.out.subarray(0, n) };
}

/**
 * Divides each zone's `zoneTotals` (current capacity, which may be below the tree's figure when
 * hosts are down) among the VMs listed per node in `vmsByNode`.
 */
export function divvy(
  tree: PoolTree,
  kind: ResourceKind,
  zoneTotals: ReadonlyMap<string, number>,
  vmsByNode: ReadonlyMap<string, readonly number[]>,
  r: ResolvedResource,
): DivvyResult {
  const demand = new Map<string, number>();
  const floor = new Map<string, number>();
  const entitlement = new Map<string, number>();
  const bound = new Set<string>();
  const vm = new Float64Array(r.cap.length);
  const poolLimited = new Uint8Array(r.cap.length);

  const up = (node: PoolNode): void => {
    let sumCap = 0;
    let sumFloor = 0;
    for (const c of node.children) {
      const child = tree.nodes.get(c) as PoolNode;
      up(child);
      sumCap += demand.get(c) as number;
      sumFloor += floor.get(c) as number;
    }
    for (const v of vmsByNode.get(node.name) ?? []) {
      sumCap += r.cap[v] as number;
      sumFloor += r.floor[v] as number;
    }
    const alloc = node[kind];
    const limit = node.isRoot ? (zoneTotals.get(node.zone) ?? 0) : alloc.limit;
    const d = Math.min(limit, sumCap);
    if (!node.isRoot && alloc.limit < sumCap) bound.add(node.name);
    demand.set(node.name, d);
    floor.set(node.name, node.isRoot ? d : Math.min(d, Math.max(alloc.reservation, sumFloor)));
  };

  const down = (node: PoolNode, amount: number, limitedAbove: boolean): void => {
    entitlement.set(node.name, amount);
    const limited = limitedAbove || bound.has(node.name);
    const vms = vmsByNode.get(node.name) ?? [];
    const kids = node.children;
    const n = kids.length + vms.length;
    if (n === 0) return;
    const s = scratch(n);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i] as string;
      s.floors[i] = floor.get(c) as number;
      s.caps[i] = demand.get(c) as number;
      s.weights[i] = (tree.nodes.get(c) as PoolNode)[kind].shares;
    }
    for (let j = 0; j < vms.length; j++) {
      const v = vms[j] as number;
      const i = kids.length + j;
      s.floors[i] = r.floor[v] as number;
      s.caps[i] = r.cap[v] as number;
      s.weights[i] = r.weight[v] as number;
    }
    const got = waterFill(amount, s.floors, s.caps, s.weights, s.out);
    for (let j = 0; j < vms.length; j++) {
      const v = vms[j] as number;
      vm[v] = got[kids.length + j] as number;
      poolLimited[v] = limited ? 1 : 0;
    }
    // Copied out before recursing: the children reuse the scratch.
    const kidAmounts = Array.from(got.subarray(0, kids.length));
    kids.forEach((c, i) => down(tree.nodes.get(c) as PoolNode, kidAmounts[i] as number, limited));
  };

  for (const node of tree.nodes.values()) {
    if (!node.isRoot) continue;
    up(node);
    down(node, demand.get(node.name) as number, false);
  }

  const nodes = new Map<string, NodeFigures>();
  for (const name of tree.nodes.keys()) {
    nodes.set(name, { demand: demand.get(name) ?? 0, floor: floor.get(name) ?? 0, entitlement: entitlement.get(name) ?? 0 });
  }
  return { vm, poolLimited, nodes };
}
