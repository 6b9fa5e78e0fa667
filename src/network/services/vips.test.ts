import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../api/index.js';
import { AddressUnavailableError, PoolExhaustedError, PoolInUseError } from '../ipam/index.js';
import { compileService } from './compile-service.js';
import type { ServiceSpecInput } from './service.js';
import { ServiceVips } from './vips.js';

const svc = (name: string, spec: Partial<ServiceSpecInput> = {}, cluster = 'prod') => compileService({ cluster, namespace: 'shop', name }, { ports: [{ port: 80 }], ...spec });

function vips(vipPool = '203.0.113.0/29'): ServiceVips {
  const v = new ServiceVips({ vipPool });
  v.addCluster('prod');
  return v;
}

describe('ServiceVips', () => {
  it('gives ClusterIPs from the cluster service CIDR (kubeadm 10.96.0.0/12 by default), idempotently', () => {
    const v = vips();
    expect(v.ensure(svc('a'))).toEqual({ clusterIP: '10.96.0.1' });
    expect(v.ensure(svc('a'))).toEqual({ clusterIP: '10.96.0.1' });
    expect(v.ensure(svc('b'))).toEqual({ clusterIP: '10.96.0.2' });
  });

  it('honours a requested ClusterIP when free and in range, and refuses it otherwise naming spec.clusterIP', () => {
    const v = vips();
    expect(v.ensure(svc('dns', { clusterIP: '10.96.0.10' })).clusterIP).toBe('10.96.0.10');
    for (const [ip, why] of [
      ['10.96.0.10', 'allocated'],
      ['10.200.0.1', 'out-of-range'],
      ['10.111.255.255', 'reserved'],
    ] as const) {
      try {
        v.ensure(svc('other', { clusterIP: ip }));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AddressUnavailableError);
        expect([(e as AddressUnavailableError).why, (e as AddressUnavailableError).causes[0]?.field]).toEqual([why, 'spec.clusterIP']);
      }
    }
    expect(() => v.ensure(svc('other', { clusterIP: '10.96.0.10' }))).toThrow(/provided IP is already allocated \(to shop\/dns\)/);
  });

  it('keeps the ClusterIP immutable', () => {
    const v = vips();
    v.ensure(svc('a'));
    expect(() => v.ensure(svc('a', { clusterIP: '10.96.0.99' }))).toThrow(/field is immutable/);
    expect(() => v.ensure(svc('a', { clusterIP: 'None' }))).toThrow(ValidationError);
  });

  it('gives LoadBalancer Services a VIP from the platform pool and frees it on delete or type change', () => {
    const v = vips();
    expect(v.ensure(svc('lb', { type: 'LoadBalancer' }))).toEqual({ clusterIP: '10.96.0.1', loadBalancerIP: '203.0.113.1' });
    expect(v.serviceOfVip('203.0.113.1')).toEqual({ cluster: 'prod', namespace: 'shop', name: 'lb' });
    expect(v.ensure(svc('lb'))).toEqual({ clusterIP: '10.96.0.1' });
    expect(v.serviceOfVip('203.0.113.1')).toBeUndefined();
    v.ensure(svc('lb2', { type: 'LoadBalancer' }));
    expect(v.release({ cluster: 'prod', namespace: 'shop', name: 'lb2' })).toEqual({ clusterIP: '10.96.0.2', loadBalancerIP: '203.0.113.2' });
    expect(v.addressesOf({ cluster: 'prod', namespace: 'shop', name: 'lb2' })).toEqual({});
  });

  it('honours and moves a requested loadBalancerIP, keeping the old one when the new one is taken', () => {
    const v = vips();
    v.ensure(svc('x', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.5' }));
    expect(v.ensure(svc('lb', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.3' })).loadBalancerIP).toBe('203.0.113.3');
    expect(v.ensure(svc('lb', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.4' })).loadBalancerIP).toBe('203.0.113.4');
    expect(() => v.ensure(svc('lb', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.5' }))).toThrow(AddressUnavailableError);
    expect(v.addressesOf({ cluster: 'prod', namespace: 'shop', name: 'lb' }).loadBalancerIP).toBe('203.0.113.4');
  });

  it('throws a typed error naming the VIP pool when it is exhausted, and leaves LoadBalancers pending without a pool', () => {
    const v = vips('203.0.113.0/30');
    v.ensure(svc('a', { type: 'LoadBalancer' }));
    v.ensure(svc('b', { type: 'LoadBalancer' }));
    expect(() => v.ensure(svc('c', { type: 'LoadBalancer' }))).toThrow(PoolExhaustedError);
    expect(() => v.ensure(svc('c', { type: 'LoadBalancer' }))).toThrow(/pool "platform VIPs" \(203\.0\.113\.0\/30\)/);
    const pending = new ServiceVips();
    pending.addCluster('prod');
    expect(pending.ensure(svc('a', { type: 'LoadBalancer' }))).toEqual({ clusterIP: '10.96.0.1' });
  });

  it('gives headless Services no address and needs the cluster registered', () => {
    const v = vips();
    expect(v.ensure(svc('h', { clusterIP: 'None' }))).toEqual({});
    expect(() => v.ensure(svc('a', {}, 'dev'))).toThrow(NotFoundError);
  });

  it('lets clusters share a service CIDR, each with its own allocations', () => {
    const v = vips();
    v.addCluster('dev');
    expect(v.ensure(svc('a', {}, 'dev')).clusterIP).toBe(v.ensure(svc('a')).clusterIP);
    expect(() => v.addCluster('dev', '172.20.0.0/16')).toThrow(/cannot change/);
    expect(() => v.removeCluster('dev')).toThrow(PoolInUseError);
    v.removeCluster('dev', { cascade: true });
    expect(v.toState().clusters['dev']).toBeUndefined();
  });

  it('rebuilds from JSON state and continues identically', () => {
    const v = vips();
    v.ensure(svc('a', { type: 'LoadBalancer' }));
    v.ensure(svc('b'));
    v.release({ cluster: 'prod', namespace: 'shop', name: 'a' });
    const copy = ServiceVips.fromState(JSON.parse(JSON.stringify(v.toState())));
    expect(copy.toState()).toEqual(v.toState());
    expect(copy.ensure(svc('c', { type: 'LoadBalancer' }))).toEqual(v.ensure(svc('c', { type: 'LoadBalancer' })));
    // Cycle forward: the released 10.96.0.1 and 203.0.113.1 are not reused at once.
    expect(v.addressesOf({ cluster: 'prod', namespace: 'shop', name: 'c' })).toEqual({ clusterIP: '10.96.0.3', loadBalancerIP: '203.0.113.2' });
  });
});
