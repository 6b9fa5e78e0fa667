/** The pod addresses IPAM holds, per namespace (`cluster/ns`), for releases and Segment counts. */
export class PodAddressBook {
  private readonly byNs = new Map<string, Map<string, string>>();

  get(nsKey: string, pod: string): string | undefined {
    return this.byNs.get(nsKey)?.get(pod);
  }

  set(nsKey: string, pod: string, ip: string): void {
    let m = this.byNs.get(nsKey);
    if (!m) this.byNs.set(nsKey, (m = new Map()));
    m.set(pod, ip);
  }

  /** Forgets a pod's address; true when it held one. */
  delete(nsKey: string, pod: string): boolean {
    const m = this.byNs.get(nsKey);
    const had = m?.delete(pod) ?? false;
    if (m?.size === 0) this.byNs.delete(nsKey);
    return had;
  }

  /** Forgets a namespace (its subnet was released with every address in it). */
  forgetNamespace(nsKey: string): void {
    this.byNs.delete(nsKey);
  }

  /** Forgets every namespace of a cluster. */
  forgetCluster(cluster: string): void {
    for (const k of [...this.byNs.keys()]) if (k.startsWith(`${cluster}/`)) this.byNs.delete(k);
  }

  count(nsKey: string): number {
    return this.byNs.get(nsKey)?.size ?? 0;
  }
}
