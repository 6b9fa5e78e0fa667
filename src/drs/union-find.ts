/** Disjoint sets over 0..n-1 with path halving: groups VMs joined by affinity rules. */
export class UnionFind {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      const gp = p[p[x] as number] as number;
      p[x] = gp;
      x = gp;
    }
    return x;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
