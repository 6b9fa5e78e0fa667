import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { compileService } from './compile-service.js';
import type { ServiceSpecInput } from './service.js';

const key = { cluster: 'prod', namespace: 'shop', name: 'web' };

function fields(spec: ServiceSpecInput): string[] {
  try {
    compileService(key, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).causes.map((c) => c.field);
  }
  return [];
}

describe('compileService', () => {
  it('fills Kubernetes and NSX-T defaults', () => {
    const s = compileService(key, { selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(s).toEqual({
      key,
      type: 'ClusterIP',
      selector: { app: 'web' },
      headless: false,
      ports: [{ name: '', protocol: 'TCP', port: 80, targetPort: 80 }],
      sourceRanges: [],
      sessionAffinity: { type: 'None' },
      algorithm: 'ROUND_ROBIN',
      publishNotReadyAddresses: false,
    });
  });

  it('defaults ClientIP affinity to 10800 s and accepts up to 86400 s', () => {
    expect(compileService(key, { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }).sessionAffinity).toEqual({ type: 'ClientIP', timeoutSeconds: 10_800 });
    const max = compileService(key, { ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86_400 } } });
    expect(max.sessionAffinity).toEqual({ type: 'ClientIP', timeoutSeconds: 86_400 });
  });

  it.each([0, -1, 86_401, 1.5])('refuses a ClientIP timeout of %s', (timeoutSeconds) => {
    expect(fields({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } } })).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
    ]);
  });

  it('refuses sessionAffinityConfig without ClientIP affinity', () => {
    expect(fields({ ports: [{ port: 80 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).toEqual(['spec.sessionAffinityConfig']);
  });

  it('fills the NSX-T monitor defaults: interval 5 s, timeout 15 s, fall 3, rise 3', () => {
    const s = compileService(key, { ports: [{ port: 80 }], loadBalancing: { algorithm: 'LEAST_CONNECTION', healthMonitor: { type: 'HTTP' } } });
    expect(s.algorithm).toBe('LEAST_CONNECTION');
    expect(s.healthMonitor).toEqual({ type: 'HTTP', intervalSeconds: 5, timeoutSeconds: 15, fallCount: 3, riseCount: 3 });
  });

  it('names every bad field at once', () => {
    expect(
      fields({
        type: 'ClusterIP',
        ports: [{ port: 80, name: 'http' }, { port: 70000 }, { port: 80, name: 'http', targetPort: 'Not_A_Name' }],
        clusterIP: '10.96.0.300',
        loadBalancerSourceRanges: ['10.0.0.0/8'],
        loadBalancing: { healthMonitor: { fallCount: 0, port: 0 } },
      }),
    ).toEqual([
      'spec.ports[1].port',
      'spec.ports[1].name',
      'spec.ports[2].name',
      'spec.ports[2]',
      'spec.ports[2].targetPort',
      'spec.clusterIP',
      'spec.loadBalancerSourceRanges',
      'spec.loadBalancing.healthMonitor.fallCount',
      'spec.loadBalancing.healthMonitor.port',
    ]);
  });

  it('accepts named target ports that are IANA service names and refuses others', () => {
    expect(compileService(key, { ports: [{ port: 80, targetPort: 'http-alt' }] }).ports[0]?.targetPort).toBe('http-alt');
    for (const bad of ['8080', 'a--b', '-http', 'sixteen-chars-xx']) expect(fields({ ports: [{ port: 80, targetPort: bad }] })).toEqual(['spec.ports[0].targetPort']);
  });

  it('canonicalises LoadBalancer source ranges, tolerating host bits as Kubernetes does', () => {
    const s = compileService(key, { type: 'LoadBalancer', ports: [{ port: 443 }], loadBalancerSourceRanges: [' 203.0.113.7/24', '198.51.100.0/25'] });
    expect(s.sourceRanges).toEqual(['203.0.113.0/24', '198.51.100.0/25']);
    expect(fields({ type: 'LoadBalancer', ports: [{ port: 443 }], loadBalancerSourceRanges: ['nope'] })).toEqual(['spec.loadBalancerSourceRanges[0]']);
  });

  it('understands headless Services and refuses them for LoadBalancer', () => {
    expect(compileService(key, { ports: [{ port: 80 }], clusterIP: 'None' }).headless).toBe(true);
    expect(fields({ type: 'LoadBalancer', ports: [{ port: 80 }], clusterIP: 'None' })).toEqual(['spec.clusterIP']);
    expect(fields({ ports: [{ port: 80 }], loadBalancerIP: '192.0.2.10' })).toEqual(['spec.loadBalancerIP']);
  });
});
