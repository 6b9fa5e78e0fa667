import { describe, expect, it } from 'vitest';
import { buildArtifactGraph, closeOver, cosignSubject, deletionOrder } from './artifact-graph.js';
import { NOW, dg, manifest, sigTag, tag } from './test-records.test-util.js';

describe('buildArtifactGraph', () => {
  const img = dg(1);
  const child = dg(2);
  const index = dg(3);
  const sig = dg(4);
  const sbom = dg(5);
  const graph = buildArtifactGraph(
    [
      manifest({ digest: img, rev: 1, ageDays: 3 }),
      manifest({ digest: child, rev: 2 }),
      manifest({ digest: index, rev: 3, children: [child] }),
      manifest({ digest: sig, rev: 4 }),
      manifest({ digest: sbom, rev: 5, subject: index }),
    ],
    [tag('v1', img, 10, 1), tag('multi', index, 6), tag(sigTag(img), sig, 7)],
    NOW,
  );

  it('classifies artifacts, index children and accessories (subject or cosign tag)', () => {
    const role = (d: string) => graph.byDigest.get(d)?.role;
    expect([img, child, index, sig, sbom].map(role)).toEqual(['artifact', 'child', 'artifact', 'accessory', 'accessory']);
    expect(graph.byDigest.get(sig)?.subject).toBe(img);
    expect(graph.byDigest.get(sbom)?.subject).toBe(index);
    expect(graph.accessoriesOf.get(img)).toEqual([sig]);
  });

  it('dates a push by the newest of the manifest and its tags, orders by the highest revision', () => {
    const a = graph.byDigest.get(img);
    expect(a?.pushOrder).toBe(10);
    expect(a?.pushedAt).toBe(NOW - 86_400_000);
  });

  it('keeps children and accessories with what keeps them, transitively', () => {
    const kept = closeOver(graph, new Map([[index, ['rule']]]));
    expect([...kept.keys()].sort()).toEqual([child, index, sbom].sort());
    expect(kept.get(child)).toEqual([`listed by index ${index}`]);
  });

  it('orders deletions so nothing deleted is referenced by something deleted later', () => {
    const order = deletionOrder(graph, new Set([child, index, sbom]));
    expect(order.indexOf(sbom)).toBeLessThan(order.indexOf(index));
    expect(order.indexOf(index)).toBeLessThan(order.indexOf(child));
  });
});

describe('cosignSubject', () => {
  it.each([
    [`sha256-${'a'.repeat(64)}.sig`, `sha256:${'a'.repeat(64)}`],
    [`sha256-${'b'.repeat(64)}.att`, `sha256:${'b'.repeat(64)}`],
    ['sha256-abc.sig', undefined],
    ['v1.sig', undefined],
  ])('%s -> %s', (t, want) => expect(cosignSubject(t)).toBe(want));
});
