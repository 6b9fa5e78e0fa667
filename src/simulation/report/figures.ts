/** A design's figures as label/value rows: the Markdown report's table and the CLI's summary. */
import type { DesignReport } from './build.js';
import { dur, num, pct } from './format.js';

/** A design's figures as (label, value) rows. */
export function designFigures(d: DesignReport): string[][] {
  const s = d.summary;
  const n = d.hostsNeeded;
  const rec = s.recovery;
  const c = d.counters;
  const rows: string[][] = [
    ['hosts simulated', num(s.hostsSimulated)],
    ['hosts needed', `${n.total} (${n.workload} running workload${n.controlPlane > 0 ? `, ${n.controlPlane} of them control planes only` : ''}, ${n.spare} ${d.design === 'vm' ? 'HA failover' : 'spare'})`],
    ['CPU utilization of the simulated hosts, mean / peak', `${pct(s.cpuMeanPercent)} / ${pct(s.cpuPeakPercent)}`],
    ['CPU utilization of the hosts needed, mean / peak', `${pct(s.neededCpuMeanPercent)} / ${pct(s.neededCpuPeakPercent)}`],
    ['memory utilization, mean', pct(s.memoryMeanPercent)],
    ['VM CPU ready, mean / worst VM', `${pct(s.cpuReadyMeanPercent, 2)} / ${pct(s.cpuReadyMaxPercent, 2)}`],
    ['pod CPU demand not served, mean', pct(s.podShortfallMeanPercent, 2)],
    ['noisy neighbour: cross-tenant / container boundary / VM boundary', `${pct(s.noisyCrossTenantPercent, 2)} / ${pct(s.noisyContainerPercent, 2)} / ${pct(s.noisyVmBoundaryPercent, 2)}`],
  ];
  if (d.design === 'vm') {
    rows.push(
      ['DRS imbalance, first / last sample (mean)', `${num(s.imbalanceFirst, 3)} / ${num(s.imbalanceLast, 3)} (${num(s.imbalanceMean, 3)})`],
      ['DRS passes / live migrations (failed) / moved', `${c.drsPasses} / ${c.migrations} (${c.failedMigrations}) / ${num(c.migratedMiB / 1024, 1)} GiB in ${num(c.migrationSeconds, 0)} s`],
      ['HA restarts (abandoned)', `${c.haRestarts} (${c.haAbandoned})`],
    );
    if (c.churnCreated > 0) rows.push(['churn VMs created / deleted', `${c.churnCreated} / ${c.churnDeleted}`]);
  } else rows.push(['nodes reprovisioned', num(c.reprovisions)]);
  rows.push(
    ['host failures with losses', num(rec.failures)],
    ['failure detected after, mean', dur(rec.detectionMeanMs)],
    [`${d.design === 'vm' ? 'VMs' : 'nodes'} running again, mean / worst failure`, `${dur(rec.machinesMeanMs)} / ${dur(rec.machinesMaxMs)}`],
    ['all lost pods running again, mean / worst failure', `${dur(rec.podsMeanMs)} / ${dur(rec.podsMaxMs)}`],
    ['failures not recovered by the end', num(rec.unrecovered)],
    ['tenants per host, worst / mean', `${s.tenantsPerHostMax} / ${num(s.tenantsPerHostMean)}`],
    ['isolation violations', num(s.isolationViolations)],
    ['pending pods, most at once', num(s.pendingPodsMax)],
  );
  return rows;
}
