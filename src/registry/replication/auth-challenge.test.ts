// WWW-Authenticate parsing as registries send it: Docker Hub / distribution token challenges with
// comma-bearing quoted scopes, Harbor and Bulkhead realms, Basic realms, several challenges in one
// header, escapes, and what the client chooses to answer.
import { describe, expect, it } from 'vitest';
import { parseChallenges, preferredChallenge, repositoryScope } from './auth-challenge.js';

describe('parseChallenges', () => {
  const cases: { header: string; want: { scheme: string; params: Record<string, string> }[] }[] = [
    {
      header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"',
      want: [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' } }],
    },
    {
      header: 'Bearer realm="http://127.0.0.1:8080/v2/token",service="bulkhead"',
      want: [{ scheme: 'bearer', params: { realm: 'http://127.0.0.1:8080/v2/token', service: 'bulkhead' } }],
    },
    { header: 'Basic realm="Registry Realm"', want: [{ scheme: 'basic', params: { realm: 'Registry Realm' } }] },
    { header: 'basic REALM=harbor', want: [{ scheme: 'basic', params: { realm: 'harbor' } }] },
    {
      header: 'Basic realm="a, b", Bearer realm="https://h/t" , service=svc',
      want: [
        { scheme: 'basic', params: { realm: 'a, b' } },
        { scheme: 'bearer', params: { realm: 'https://h/t', service: 'svc' } },
      ],
    },
    { header: 'Bearer realm="say \\"hi\\""', want: [{ scheme: 'bearer', params: { realm: 'say "hi"' } }] },
    { header: 'Bearer', want: [{ scheme: 'bearer', params: {} }] },
    { header: '', want: [] },
  ];
  it.each(cases)('$header', ({ header, want }) => {
    expect(parseChallenges(header)).toEqual(want);
  });
});

describe('preferredChallenge', () => {
  it('answers Bearer when a realm is offered, else Basic, else nothing', () => {
    expect(preferredChallenge('Basic realm="x", Bearer realm="https://t",service="s"')?.scheme).toBe('bearer');
    expect(preferredChallenge('Bearer service="no realm", Basic realm="x"')?.scheme).toBe('basic');
    expect(preferredChallenge(null)).toBeUndefined();
    expect(preferredChallenge('')).toBeUndefined();
  });

  it('builds the token-flow scope of a repository', () => {
    expect(repositoryScope('acme/app', ['pull', 'push'])).toBe('repository:acme/app:pull,push');
  });
});
