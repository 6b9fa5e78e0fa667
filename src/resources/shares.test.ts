/** vSphere's share values and the ResourcePool schema's defaults. */
import { describe, expect, it } from 'vitest';
import { schemaCauses } from '../api/index.js';
import { defaultResourcePoolSpec, ResourcePoolSpecSchema, VmResourceAllocationSchema } from './pool-schema.js';
import { cpuShares, memoryShares, sharesProblem } from './shares.js';

describe('shares', () => {
  it.each([
    ['low', 500, 5],
    ['normal', 1000, 10],
    ['high', 2000, 20],
  ] as const)('%s = %i per vCPU and %i per MB', (level, perCpu, perMiB) => {
    expect(cpuShares({ level }, 2)).toBe(2 * perCpu);
    expect(memoryShares({ level }, 1024)).toBe(1024 * perMiB);
  });

  it('matches the guide: 2 vCPUs and 1 GB at normal = 2000 CPU and 10240 memory shares', () => {
    expect(cpuShares({ level: 'normal' }, 2)).toBe(2000);
    expect(memoryShares({ level: 'normal' }, 1024)).toBe(10_240);
  });

  it('uses the custom number as is', () => {
    expect(cpuShares({ level: 'custom', shares: 777 }, 64)).toBe(777);
    expect(sharesProblem({ level: 'custom', shares: 777 })).toBeUndefined();
    expect(sharesProblem({ level: 'custom', shares: 1.5 })).toMatch(/integer/);
  });
});

describe('ResourcePool spec', () => {
  it('fills vSphere defaults: normal shares, no reservation, expandable, unlimited', () => {
    expect(defaultResourcePoolSpec({ zone: 'z1' })).toEqual({
      zone: 'z1',
      cpu: { shares: { level: 'normal' }, reservationMHz: 0, expandableReservation: true },
      memory: { shares: { level: 'normal' }, reservationMiB: 0, expandableReservation: true },
    });
  });

  it('keeps what was given', () => {
    const spec = defaultResourcePoolSpec({ zone: 'z1', parent: 'p', cpu: { limitMHz: 5, expandableReservation: false } });
    expect(spec.cpu).toEqual({ shares: { level: 'normal' }, reservationMHz: 0, limitMHz: 5, expandableReservation: false });
    expect(spec.parent).toBe('p');
  });

  it('names bad fields', () => {
    const causes = schemaCauses(ResourcePoolSpecSchema, { zone: '', cpu: { reservationMHz: 1.5, bogus: 1 }, memory: { shares: { level: 'loud' } } }, 'spec');
    expect(causes.map((c) => c.field).sort()).toEqual(['spec.cpu.bogus', 'spec.cpu.reservationMHz', 'spec.memory.shares.level', 'spec.zone']);
  });

  it('has VM settings without expandable reservations', () => {
    expect(schemaCauses(VmResourceAllocationSchema, { pool: 'p', cpu: { expandableReservation: true } }, 'spec.resources').map((c) => c.field)).toEqual([
      'spec.resources.cpu.expandableReservation',
    ]);
  });
});
