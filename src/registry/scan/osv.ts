/**
 * OSV advisories: import (objects, arrays, directories of `.json` files, `.zip` exports) into an
 * in-memory advisory store indexed by ecosystem and package, and matching of installed packages
 * against `affected[]` (ECOSYSTEM and SEMVER ranges, explicit `versions[]`).
 *
 * Full data: download `https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`
 * (e.g. `Debian`, `Alpine`, `npm`, `PyPI`) and pass the zip files or an unzipped directory to
 * `AdvisoryStore.importPath`.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { normalisePyPIName, type InstalledPackage } from './packages/parsers.js';
import type { OsRelease } from './packages/parsers.js';
import { SEVERITIES, severityFromOsv, severityFromWord, severityRank, type OsvSeverity, type Severity } from './severity.js';
import { baseEcosystem, comparatorFor, compareSemver, type Comparator } from './versions/index.js';
import { readZip } from './zip.js';

export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvAffected {
  readonly package: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly ecosystem_specific?: Record<string, unknown>;
  readonly database_specific?: Record<string, unknown>;
}

export interface OsvAdvisory {
  readonly id: string;
  readonly modified?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly database_specific?: Record<string, unknown>;
}

export class OsvFormatError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validateAdvisory(v: unknown, where: string): OsvAdvisory {
  if (!isRecord(v) || typeof v.id !== 'string' || v.id === '') throw new OsvFormatError(`${where}: an OSV advisory needs a string id`);
  if (v.affected !== undefined && !Array.isArray(v.affected)) throw new OsvFormatError(`${where}: ${v.id}: affected must be an array`);
  for (const [i, a] of ((v.affected as unknown[] | undefined) ?? []).entries()) {
    if (!isRecord(a) || !isRecord(a.package) || typeof a.package.ecosystem !== 'string' || typeof a.package.name !== 'string') {
      throw new OsvFormatError(`${where}: ${v.id}: affected[${i}].package needs ecosystem and name`);
    }
    if (a.ranges !== undefined && (!Array.isArray(a.ranges) || !a.ranges.every((r) => isRecord(r) && typeof r.type === 'string' && Array.isArray(r.events) && r.events.every(isRecord)))) {
      throw new OsvFormatError(`${where}: ${v.id}: affected[${i}].ranges is malformed`);
    }
    if (a.versions !== undefined && (!Array.isArray(a.versions) || !a.versions.every((x) => typeof x === 'string'))) {
      throw new OsvFormatError(`${where}: ${v.id}: affected[${i}].versions must be strings`);
    }
  }
  return v as unknown as OsvAdvisory;
}

/** Accepts one advisory, an array of them, or `{vulns: [...]}` (osv.dev query answers). */
export function parseOsv(doc: unknown, where = 'input'): OsvAdvisory[] {
  if (Array.isArray(doc)) return doc.map((d, i) => validateAdvisory(d, `${where}[${i}]`));
  if (isRecord(doc) && Array.isArray(doc.vulns) && doc.id === undefined) return parseOsv(doc.vulns, where);
  return [validateAdvisory(doc, where)];
}

export function advisorySeverity(adv: OsvAdvisory, affected?: OsvAffected): Severity {
  const words = [affected?.ecosystem_specific?.severity, affected?.database_specific?.severity, adv.database_specific?.severity];
  for (const w of words) {
    const level = typeof w === 'string' ? severityFromWord(w) : undefined;
    if (level) return level;
  }
  return severityFromOsv(affected?.severity ?? []) ?? severityFromOsv(adv.severity ?? []) ?? 'Unknown';
}

function packageKey(ecosystem: string, name: string): string {
  const base = baseEcosystem(ecosystem);
  return `${base}\0${base === 'PyPI' ? normalisePyPIName(name) : name}`;
}

interface IndexEntry {
  readonly advisory: OsvAdvisory;
  readonly affected: OsvAffected;
}

/** Whether `version` is inside one range; with the smallest `fixed` above it when it is. */
export function rangeAffects(version: string, range: OsvRange, compare: Comparator): { affected: boolean; fixed?: string } {
  const events = [...range.events];
  const versionOf = (e: OsvEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '0';
  const limits = events.filter((e) => e.limit !== undefined && e.limit !== '*').map((e) => e.limit!);
  if (limits.length > 0 && !limits.some((l) => compare(version, l) < 0)) return { affected: false };
  const ordered = events
    .filter((e) => e.limit === undefined)
    .sort((a, b) => {
      const va = versionOf(a);
      const vb = versionOf(b);
      if (a.introduced === '0' || b.introduced === '0') return a.introduced === '0' ? (b.introduced === '0' ? 0 : -1) : 1;
      return compare(va, vb);
    });
  let affected = false;
  for (const e of ordered) {
    if (e.introduced !== undefined && (e.introduced === '0' || compare(version, e.introduced) >= 0)) affected = true;
    else if (e.fixed !== undefined && compare(version, e.fixed) >= 0) affected = false;
    else if (e.last_affected !== undefined && compare(version, e.last_affected) > 0) affected = false;
  }
  if (!affected) return { affected };
  const fixed = ordered.filter((e) => e.fixed !== undefined && compare(e.fixed, version) > 0).map((e) => e.fixed!);
  return fixed.length > 0 ? { affected, fixed: fixed[0]! } : { affected };
}

/** Whether `version` is affected by one `affected[]` entry, and which fixed versions apply. */
export function affectedBy(version: string, affected: OsvAffected): { affected: boolean; fixed: string[] } {
  const compare = comparatorFor(affected.package.ecosystem);
  let hit = (affected.versions ?? []).some((v) => v === version || compare(v, version) === 0);
  const fixed = new Set<string>();
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
    const r = rangeAffects(version, range, range.type === 'SEMVER' ? compareSemver : compare);
    if (r.affected) {
      hit = true;
      if (r.fixed) fixed.add(r.fixed);
    }
  }
  return { affected: hit, fixed: [...fixed] };
}

/** Whether an advisory's release-qualified ecosystem (`Debian:12`, `Alpine:v3.19`) fits the image. */
export function releaseMatches(ecosystem: string, os: OsRelease | undefined): boolean {
  const i = ecosystem.indexOf(':');
  if (i < 0 || !os || os.versionId === '') return true;
  const base = ecosystem.slice(0, i);
  const release = ecosystem.slice(i + 1);
  if (base === 'Debian' && os.id === 'debian') return release === os.versionId.split('.')[0];
  if (base === 'Alpine' && os.id === 'alpine') return release === `v${os.versionId.split('.').slice(0, 2).join('.')}`;
  if (base === 'Ubuntu' && os.id === 'ubuntu') return release.split(':').includes(os.versionId);
  return true;
}

export interface Vulnerability {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly severity: Severity;
  readonly installedVersion: string;
  readonly fixedVersions: readonly string[];
}

export interface VulnerablePackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  readonly location: string;
  readonly source?: InstalledPackage['source'];
  readonly vulnerabilities: readonly Vulnerability[];
}

export type SeveritySummary = Record<Severity, number>;

export interface ScanReport {
  readonly scannedPackages: number;
  readonly os?: OsRelease;
  readonly packages: readonly VulnerablePackage[];
  /** Findings (package × advisory) per severity. */
  readonly summary: SeveritySummary;
  /** The worst severity found, or undefined when nothing was found. */
  readonly highest?: Severity;
}

export function emptySummary(): SeveritySummary {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeveritySummary;
}

export class AdvisoryStore {
  private readonly byId = new Map<string, OsvAdvisory>();
  private readonly index = new Map<string, IndexEntry[]>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): OsvAdvisory | undefined {
    return this.byId.get(id);
  }

  /** Adds advisories; a later record with the same id replaces the earlier one. */
  add(advisories: Iterable<OsvAdvisory>): number {
    let n = 0;
    for (const adv of advisories) {
      if (this.byId.has(adv.id)) this.remove(adv.id);
      this.byId.set(adv.id, adv);
      for (const affected of adv.affected ?? []) {
        const key = packageKey(affected.package.ecosystem, affected.package.name);
        const list = this.index.get(key) ?? [];
        list.push({ advisory: adv, affected });
        this.index.set(key, list);
      }
      n++;
    }
    return n;
  }

  private remove(id: string): void {
    const adv = this.byId.get(id);
    if (!adv) return;
    this.byId.delete(id);
    for (const affected of adv.affected ?? []) {
      const key = packageKey(affected.package.ecosystem, affected.package.name);
      const list = this.index.get(key)?.filter((e) => e.advisory.id !== id) ?? [];
      if (list.length > 0) this.index.set(key, list);
      else this.index.delete(key);
    }
  }

  /** Imports OSV JSON text (one advisory or an array). */
  importJson(text: string, where = 'input'): number {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new OsvFormatError(`${where}: not JSON: ${(err as Error).message}`);
    }
    return this.add(parseOsv(doc, where));
  }

  /** Imports a `.json` file, a `.zip` export, or a directory (recursively) of either. */
  async importPath(path: string): Promise<number> {
    const st = await stat(path);
    if (st.isDirectory()) {
      let n = 0;
      const names = (await readdir(path)).sort();
      for (const name of names) {
        const child = join(path, name);
        const cst = await stat(child);
        if (cst.isDirectory() || ['.json', '.zip'].includes(extname(name).toLowerCase())) n += await this.importPath(child);
      }
      return n;
    }
    const bytes = await readFile(path);
    if (extname(path).toLowerCase() === '.zip') {
      let n = 0;
      for (const entry of readZip(bytes)) if (entry.name.toLowerCase().endsWith('.json')) n += this.importJson(entry.data.toString('utf8'), `${path}!${entry.name}`);
      return n;
    }
    return this.importJson(bytes.toString('utf8'), path);
  }

  /** Advisories affecting one installed package (withdrawn ones skipped). */
  match(pkg: InstalledPackage, os?: OsRelease): Vulnerability[] {
    const candidates: { name: string; version: string }[] = [];
    if (pkg.source) candidates.push(pkg.source);
    candidates.push({ name: pkg.name, version: pkg.version });
    const found = new Map<string, { adv: OsvAdvisory; severity: Severity; fixed: Set<string> }>();
    for (const cand of candidates) {
      for (const { advisory, affected } of this.index.get(packageKey(pkg.ecosystem, cand.name)) ?? []) {
        if (advisory.withdrawn) continue;
        if (!releaseMatches(affected.package.ecosystem, os)) continue;
        const r = affectedBy(cand.version, affected);
        if (!r.affected) continue;
        const prev = found.get(advisory.id);
        const severity = advisorySeverity(advisory, affected);
        if (prev) {
          for (const f of r.fixed) prev.fixed.add(f);
          if (severityRank(severity) > severityRank(prev.severity)) prev.severity = severity;
        } else found.set(advisory.id, { adv: advisory, severity, fixed: new Set(r.fixed) });
      }
    }
    const compare = comparatorFor(pkg.ecosystem);
    return [...found.values()]
      .map(({ adv, severity, fixed }) => ({
        id: adv.id,
        aliases: adv.aliases ?? [],
        summary: adv.summary ?? '',
        severity,
        installedVersion: pkg.version,
        fixedVersions: [...fixed].sort(compare),
      }))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Matches every package; the report lists vulnerable packages and counts per severity. */
  scan(packages: readonly InstalledPackage[], os?: OsRelease): ScanReport {
    const out: VulnerablePackage[] = [];
    const summary = emptySummary();
    for (const pkg of packages) {
      const vulnerabilities = this.match(pkg, os);
      if (vulnerabilities.length === 0) continue;
      for (const v of vulnerabilities) summary[v.severity]++;
      out.push({ ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, location: pkg.location, ...(pkg.source ? { source: pkg.source } : {}), vulnerabilities });
    }
    const highest = SEVERITIES.find((s) => summary[s] > 0);
    return { scannedPackages: packages.length, ...(os ? { os } : {}), packages: out, summary, ...(highest ? { highest } : {}) };
  }
}
