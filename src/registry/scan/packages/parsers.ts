/** Parsers for the package databases a layer can carry. */

export type Ecosystem = 'Debian' | 'Alpine' | 'npm' | 'PyPI';

export interface InstalledPackage {
  readonly ecosystem: Ecosystem;
  /** Binary (installed) package name. */
  readonly name: string;
  readonly version: string;
  /** Distro source package (dpkg `Source:`, apk `o:`) when it differs; OSV distro entries name it. */
  readonly source?: { readonly name: string; readonly version: string };
  /** File the package was found in. */
  readonly location: string;
}

/** Splits RFC 822-style stanzas (`Key: value`, continuation lines start with whitespace). */
function stanzas(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (cur.size > 0) out.push(cur);
      cur = new Map();
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) cur.set(last, `${cur.get(last) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    if (!cur.has(last)) cur.set(last, line.slice(colon + 1).trim());
  }
  if (cur.size > 0) out.push(cur);
  return out;
}

/** `/var/lib/dpkg/status` (and `status.d/*` files): installed packages only. */
export function parseDpkgStatus(text: string, location: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const s of stanzas(text)) {
    const name = s.get('Package');
    const version = s.get('Version');
    if (!name || !version) continue;
    const status = s.get('Status');
    // Distroless status.d files carry no Status field; treat them as installed.
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
    const src = s.get('Source');
    let source: InstalledPackage['source'];
    if (src) {
      const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(src);
      if (m && (m[1] !== name || (m[2] !== undefined && m[2] !== version))) source = { name: m[1]!, version: m[2] ?? version };
    }
    out.push({ ecosystem: 'Debian', name, version, ...(source ? { source } : {}), location });
  }
  return out;
}

/** `/lib/apk/db/installed`: `P:` name, `V:` version, `o:` origin. */
export function parseApkInstalled(text: string, location: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    let name: string | undefined;
    let version: string | undefined;
    let origin: string | undefined;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('P:')) name = line.slice(2).trim();
      else if (line.startsWith('V:')) version = line.slice(2).trim();
      else if (line.startsWith('o:')) origin = line.slice(2).trim();
    }
    if (!name || !version) continue;
    out.push({ ecosystem: 'Alpine', name, version, ...(origin && origin !== name ? { source: { name: origin, version } } : {}), location });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `package-lock.json`: v2/v3 `packages` entries; v1 nested `dependencies` as a fallback. */
export function parsePackageLock(text: string, location: string): InstalledPackage[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isRecord(doc)) return [];
  const out: InstalledPackage[] = [];
  if (isRecord(doc.packages)) {
    for (const [path, entry] of Object.entries(doc.packages)) {
      if (path === '' || !isRecord(entry) || entry.link === true) continue;
      const i = path.lastIndexOf('node_modules/');
      const name = typeof entry.name === 'string' ? entry.name : i >= 0 ? path.slice(i + 'node_modules/'.length) : undefined;
      if (!name || typeof entry.version !== 'string') continue;
      out.push({ ecosystem: 'npm', name, version: entry.version, location });
    }
    return out;
  }
  const walk = (deps: unknown): void => {
    if (!isRecord(deps)) return;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isRecord(entry)) continue;
      if (typeof entry.version === 'string' && !entry.version.startsWith('file:')) out.push({ ecosystem: 'npm', name, version: entry.version, location });
      walk(entry.dependencies);
    }
  };
  walk(doc.dependencies);
  return out;
}

/** PEP 503 normalised project name. */
export function normalisePyPIName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `*.dist-info/METADATA`: the `Name` and `Version` headers. */
export function parseDistInfoMetadata(text: string, location: string): InstalledPackage[] {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const s = stanzas(head)[0];
  const name = s?.get('Name');
  const version = s?.get('Version');
  if (!name || !version) return [];
  return [{ ecosystem: 'PyPI', name, version, location }];
}

export interface OsRelease {
  readonly id: string;
  readonly versionId: string;
}

export function parseOsRelease(text: string): OsRelease | undefined {
  const kv = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  const id = kv.get('ID');
  return id ? { id, versionId: kv.get('VERSION_ID') ?? '' } : undefined;
}
