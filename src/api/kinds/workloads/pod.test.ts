import { describe, expect, it } from 'vitest';
import { podRequests, podSpecCauses, qosClass, type Container, type PodSpec } from './pod.js';

const c = (resources?: Container['resources'], name = 'app'): Container => ({ name, image: 'nginx', ...(resources ? { resources } : {}) });
const spec = (...containers: Container[]): PodSpec => ({ containers });

describe('QoS class (Kubernetes rules)', () => {
  it.each<[string, PodSpec, string]>([
    ['no resources anywhere', spec(c(), c(undefined, 'b')), 'BestEffort'],
    ['limits only (requests default to limits)', spec(c({ limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed'],
    ['requests equal limits', spec(c({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '0.5', memory: '256Mi' } })), 'Guaranteed'],
    ['requests below limits', spec(c({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } })), 'Burstable'],
    ['only a cpu request', spec(c({ requests: { cpu: '100m' } })), 'Burstable'],
    ['cpu limit but no memory limit', spec(c({ limits: { cpu: '1' } })), 'Burstable'],
    ['one guaranteed and one best-effort container', spec(c({ limits: { cpu: '1', memory: '1Gi' } }), c(undefined, 'side')), 'Burstable'],
    ['two guaranteed containers', spec(c({ limits: { cpu: '1', memory: '1Gi' } }), c({ limits: { cpu: '2', memory: '2Gi' } }, 'b')), 'Guaranteed'],
  ])('%s -> %s', (_name, s, want) => {
    expect(qosClass(s)).toBe(want);
  });
});

describe('pod requests and validation', () => {
  it('sums containers, defaulting a request to its limit', () => {
    expect(podRequests(spec(c({ requests: { cpu: '250m' }, limits: { memory: '1Gi' } }), c({ requests: { cpu: 1, memory: '512Mi' } }, 'b')))).toEqual({ cpuMillis: 1250, memoryMiB: 1536 });
  });
  it('names the malformed field and a request above its limit', () => {
    const causes = podSpecCauses(spec(c({ requests: { cpu: 'lots', memory: '2Gi' }, limits: { memory: '1Gi' } })), 'spec');
    expect(causes.map((x) => x.field)).toEqual(['spec.containers[0].resources.requests.cpu', 'spec.containers[0].resources.requests.memory']);
  });
});
