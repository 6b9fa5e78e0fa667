import { describe, expect, it } from 'vitest';
import { compileService } from './compile-service.js';
import { computeEndpoints, type EndpointPod } from './endpoints.js';

const pod = (name: string, ip: string | undefined, over: Partial<EndpointPod> = {}): EndpointPod => ({
  namespace: 'shop',
  name,
  labels: { app: 'web' },
  ...(ip ? { ip } : {}),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ready: true,
  ...over,
});

const web = compileService(
  { cluster: 'prod', namespace: 'shop', name: 'web' },
  {
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'metrics', port: 9090, targetPort: 9100 },
    ],
  },
);

describe('computeEndpoints', () => {
  it('takes ready selected pods of the namespace only, in address order', () => {
    const set = computeEndpoints(web, [
      pod('web-2', '10.0.1.12'),
      pod('web-1', '10.0.1.3'),
      pod('web-x', '10.0.1.4', { namespace: 'other' }),
      pod('db-0', '10.0.1.5', { labels: { app: 'db' } }),
    ]);
    expect(set.ports[0]?.backends).toEqual([
      { pod: 'web-1', ip: '10.0.1.3', port: 8080 },
      { pod: 'web-2', ip: '10.0.1.12', port: 8080 },
    ]);
    expect(set.excluded).toEqual([]);
  });

  it('leaves out unready, terminating and unaddressed pods and says why', () => {
    const set = computeEndpoints(web, [pod('a', '10.0.1.2', { ready: false }), pod('b', '10.0.1.3', { terminating: true }), pod('c', undefined), pod('d', '10.0.1.5')]);
    expect(set.ports[0]?.backends.map((b) => b.pod)).toEqual(['d']);
    expect(set.excluded.map((x) => [x.pod, x.reason])).toEqual([
      ['a', 'NotReady'],
      ['b', 'Terminating'],
      ['c', 'NoAddress'],
    ]);
  });

  it('publishes unready pods when publishNotReadyAddresses is set', () => {
    const s = compileService(web.key, { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], publishNotReadyAddresses: true });
    expect(computeEndpoints(s, [pod('a', '10.0.1.2', { ready: false })]).ports[0]?.backends).toHaveLength(1);
  });

  it('resolves a named targetPort per pod, by name and protocol; pods without it are no endpoint for that port', () => {
    const set = computeEndpoints(web, [
      pod('v1', '10.0.1.2', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
      pod('v2', '10.0.1.3', { ports: [{ name: 'http', port: 9000, protocol: 'TCP' }] }),
      pod('udp', '10.0.1.4', { ports: [{ name: 'http', port: 8080, protocol: 'UDP' }] }),
      pod('bare', '10.0.1.5', { ports: [] }),
    ]);
    expect(set.ports[0]?.backends.map((b) => `${b.pod}:${b.port}`)).toEqual(['v1:8080', 'v2:9000']);
    // A numeric targetPort needs no declared container port.
    expect(set.ports[1]?.backends.map((b) => `${b.pod}:${b.port}`)).toEqual(['v1:9100', 'v2:9100', 'udp:9100', 'bare:9100']);
    expect(set.excluded.map((x) => `${x.pod}/${x.port}/${x.reason}`)).toEqual(['bare/http/NamedPortNotFound', 'udp/http/NamedPortNotFound']);
  });

  it('has no endpoints without a selector', () => {
    const s = compileService(web.key, { ports: [{ port: 80 }] });
    expect(computeEndpoints(s, [pod('a', '10.0.1.2')]).ports[0]?.backends).toEqual([]);
  });
});
