import { describe, expect, it } from 'vitest';
import { OciError } from './errors.js';
import { isTag, parseDigest, parseRepoName } from './names.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as OciError).code;
  }
  return 'ok';
};

describe('parseRepoName', () => {
  it('splits the project from the repository path, nested names allowed', () => {
    expect(parseRepoName(['acme-web', 'api'])).toEqual({ full: 'acme-web/api', project: 'acme-web', path: 'api' });
    expect(parseRepoName(['a', 'b', 'c.d__e'])).toMatchObject({ project: 'a', path: 'b/c.d__e' });
  });

  it.each([
    ['one component', ['solo']],
    ['upper case', ['acme', 'Api']],
    ['a dot segment', ['acme', '..', 'x']],
    ['an encoded dot segment', ['acme', '%2e%2e', 'x']],
    ['an encoded slash', ['acme', 'a%2f..']],
    ['a leading separator', ['acme', '-api']],
    ['an over-long name', ['acme', 'a'.repeat(260)]],
  ])('rejects %s with NAME_INVALID', (_what, segs) => {
    expect(code(() => parseRepoName(segs))).toBe('NAME_INVALID');
  });
});

describe('tags and digests', () => {
  it('accepts tags up to 128 characters and the two digest algorithms we verify', () => {
    expect(isTag('v1.0_rc-1')).toBe(true);
    expect(isTag('a'.repeat(129))).toBe(false);
    expect(isTag('.hidden')).toBe(false);
    expect(parseDigest(`sha512:${'a'.repeat(128)}`).alg).toBe('sha512');
    expect(code(() => parseDigest(`md5:${'a'.repeat(32)}`))).toBe('DIGEST_INVALID');
    expect(code(() => parseDigest(`sha256:${'A'.repeat(64)}`))).toBe('DIGEST_INVALID');
  });
});
