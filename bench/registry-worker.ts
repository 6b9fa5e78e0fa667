/**
 * The load generator of `bench/registry.ts`, in a worker thread so that it never shares an event
 * loop with the in-process Bulkhead server. It builds the deterministic data once and then runs
 * whatever phase the main thread asks for against whichever registry it names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OciClient, manifestLoad, manifestPaced, pullAll, pushAll, type Target } from './registry-client.js';
import { makePlan, makeScanImage, sha256, type Plan, type ScanImage } from './registry-data.js';

/** What the worker is started with. */
export interface WorkerInit {
  readonly sizeMiB: number;
  readonly repos: number;
  readonly project: string;
  readonly scanMiB: number;
  /** Seed of the blob plan (sizes and bytes); the same seed gives the same data. */
  readonly seed?: number;
}

/** The first or second half of the plan's images (and so of its blobs), for ABBA ordering. */
export type Half = 0 | 1;

/** The images of one half, with their blobs; every blob belongs to one image in the plan. */
function halfOf(plan: Plan, half: Half): Plan {
  const mid = Math.ceil(plan.images.length / 2);
  const images = half === 0 ? plan.images.slice(0, mid) : plan.images.slice(mid);
  const blobs = images.flatMap((img) => [img.config, ...img.layers]);
  return { images, blobs, totalBytes: blobs.reduce((n, b) => n + b.bytes.length, 0), mix: plan.mix };
}

/** A request from the main thread. */
export type WorkerRequest =
  | { readonly id: number; readonly op: 'push'; readonly target: Target; readonly concurrency: number; readonly chunk: number; readonly half?: Half }
  | { readonly id: number; readonly op: 'pull'; readonly target: Target; readonly concurrency: number; readonly verify: boolean; readonly half?: Half }
  | { readonly id: number; readonly op: 'manifests'; readonly target: Target; readonly clients: number; readonly count: number; readonly rate?: number }
  | { readonly id: number; readonly op: 'push-scan'; readonly target: Target; readonly repo: string; readonly tag: string };

/** The scan image as the main thread reports it. */
export interface ScanImageInfo {
  readonly compressed: number;
  readonly uncompressed: number;
  readonly files: number;
  readonly layers: number;
  readonly digest: string;
}

async function pushScanImage(target: Target, img: ScanImage, repo: string, tag: string): Promise<ScanImageInfo> {
  const c = new OciClient(target, 4);
  try {
    const cfg = { bytes: img.config, digest: sha256(img.config), cls: 'config' as const };
    for (const b of [cfg, ...img.layers.map((l) => ({ bytes: l.bytes, digest: l.digest, cls: 'large' as const }))]) await c.pushBlob(repo, b, 16 * 1024 * 1024);
    const r = await c.send('PUT', `/v2/${repo}/manifests/${tag}`, { body: img.manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    if (r.status !== 201) throw new Error(`${target.name}: PUT scan manifest: HTTP ${r.status}`);
  } finally {
    c.close();
  }
  return {
    compressed: img.layers.reduce((s, l) => s + l.bytes.length, 0),
    uncompressed: img.layers.reduce((s, l) => s + l.uncompressed, 0),
    files: img.layers.reduce((s, l) => s + l.files, 0),
    layers: img.layers.length,
    digest: img.manifestDigest,
  };
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const plan: Plan = makePlan(init.sizeMiB, init.repos, init.project, init.seed);
  let scan: Promise<ScanImage> | undefined;
  const halves = [halfOf(plan, 0), halfOf(plan, 1)] as const;
  const part = (half: Half | undefined): Plan => (half === undefined ? plan : halves[half]);
  port.postMessage({ ready: true, mix: plan.mix, totalBytes: plan.totalBytes, blobs: plan.blobs.length, images: plan.images.length });
  port.on('message', (req: WorkerRequest) => {
    const run = async (): Promise<unknown> => {
      switch (req.op) {
        case 'push':
          return pushAll(req.target, part(req.half), req.concurrency, req.chunk);
        case 'pull':
          return pullAll(req.target, part(req.half), req.concurrency, req.verify);
        case 'manifests':
          return req.rate ? manifestPaced(req.target, plan, req.clients, req.count, req.rate) : manifestLoad(req.target, plan, req.clients, req.count);
        case 'push-scan':
          scan ??= makeScanImage(init.scanMiB);
          return pushScanImage(req.target, await scan, req.repo, req.tag);
      }
    };
    run().then(
      (result) => port.postMessage({ id: req.id, result }),
      (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
}
