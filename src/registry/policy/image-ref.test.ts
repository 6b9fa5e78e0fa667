import { describe, expect, it } from 'vitest';
import { parseImageRef } from './image-ref.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  it.each([
    ['shop/app', undefined, 'shop/app', 'latest', false],
    ['shop/app:v1', undefined, 'shop/app', 'v1', false],
    ['127.0.0.1:8080/shop/team/app:v1', '127.0.0.1:8080', 'shop/team/app', 'v1', false],
    ['localhost/shop/app', 'localhost', 'shop/app', 'latest', false],
    [`registry.example.com/shop/app@${D}`, 'registry.example.com', 'shop/app', D, true],
    [`shop/app:v1@${D}`, undefined, 'shop/app', D, true],
  ])('%s', (image, host, repo, reference, byDigest) => {
    const r = parseImageRef(image);
    expect(r?.host).toBe(host);
    expect(r?.repo.full).toBe(repo);
    expect(r?.reference).toBe(reference);
    expect(r?.byDigest).toBe(byDigest);
  });

  it.each(['nginx', 'shop/App:v1', 'shop/app:bad tag', 'shop/app@sha256:short', '../etc/passwd:x'])('%s names no repository here', (image) => {
    expect(parseImageRef(image)).toBeUndefined();
  });
});
