// The active health monitor driven on a virtual clock: a member whose pod does not listen on the
// probed port goes DOWN after fall_count probes and stops receiving connections; it comes back
// after rise_count successful probes once it listens.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { compileService, computeEndpoints } from '../services/index.js';
import { HealthChecker, probeSucceeds } from './health-checker.js';
import { NetworkState } from './network-state.js';

const pod = (name: string, ip: string, ports: number[]): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'web/shop', labels: { app: 'api' } },
  spec: { containers: [{ name: 'c', image: 'x', ports: ports.map((containerPort) => ({ containerPort })) }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True', reason: '', message: '', lastTransitionTime: '' }] },
});

describe('HealthChecker', () => {
  it('marks a member DOWN after fall_count failed probes and UP again after rise_count', async () => {
    const clock = new VirtualClock();
    const state = new NetworkState();
    const pods = new Map<string, Pod>([
      ['good', pod('good', '10.0.1.2', [8080])],
      ['deaf', pod('deaf', '10.0.1.3', [9999])],
    ]);
    const svc = compileService({ cluster: 'web', namespace: 'shop', name: 'api' }, {
      selector: { app: 'api' },
      ports: [{ port: 80, targetPort: 8080 }],
      loadBalancing: { healthMonitor: { type: 'TCP', intervalSeconds: 5, timeoutSeconds: 15, fallCount: 3, riseCount: 2 } },
    });
    state.vips.addCluster('web');
    state.proxy.upsertService(svc, state.vips.ensure(svc), clock.now());
    const endpointPods = [...pods.values()].map((p) => ({ namespace: 'shop', name: p.metadata.name, labels: { app: 'api' }, ip: p.status?.podIP ?? '', ports: [{ port: 8080, protocol: 'TCP' as const }], ready: true }));
    state.proxy.setEndpoints(computeEndpoints(svc, endpointPods), clock.now());
    const checker = new HealthChecker(state, clock, { get: (name) => pods.get(name) });
    const health = () => Object.fromEntries(state.proxy.membersOf(svc.key).map((m) => [m.backend.pod, m.health]));
    checker.kick();
    await clock.advance(0);
    expect(health()).toEqual({ good: 'UP', deaf: 'UNKNOWN' }); // one failure so far
    await clock.advance(5_000);
    expect(health().deaf).toBe('UNKNOWN');
    await clock.advance(5_000);
    expect(health().deaf).toBe('DOWN'); // the third consecutive failure
    const resolve = () => state.proxy.resolve({ target: { service: svc.key }, port: 80, protocol: 'TCP', clientIp: '10.0.1.9', clientPort: 1 }, clock.now());
    for (let i = 0; i < 3; i++) expect(resolve()).toMatchObject({ outcome: 'Translated', endpoint: { pod: 'good' } });
    pods.set('deaf', pod('deaf', '10.0.1.3', [8080]));
    await clock.advance(5_000);
    expect(health().deaf).toBe('DOWN');
    await clock.advance(5_000);
    expect(health().deaf).toBe('UP');
    checker.stop();
  });

  it('probes by transport: a UDP monitor needs a UDP port, ICMP only a running, ready pod', () => {
    const target = { id: 'x', service: { cluster: 'web', namespace: 'shop', name: 'dns' }, servicePort: '53/UDP', backend: { pod: 'p', ip: '10.0.1.2', port: 53 }, probePort: 53, timeoutSeconds: 15 };
    const p = pod('p', '10.0.1.2', [53]);
    expect(probeSucceeds({ ...target, type: 'TCP' }, p)).toBe(true);
    expect(probeSucceeds({ ...target, type: 'UDP' }, p)).toBe(false);
    expect(probeSucceeds({ ...target, type: 'ICMP', probePort: 1 }, p)).toBe(true);
    expect(probeSucceeds({ ...target, type: 'ICMP' }, { ...p, status: { ...p.status, phase: 'Pending' } })).toBe(false);
    expect(probeSucceeds({ ...target, type: 'TCP' }, undefined)).toBe(false);
  });
});
