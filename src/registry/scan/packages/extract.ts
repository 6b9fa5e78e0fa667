/**
 * Installed packages of an image: layers applied in order onto a sparse view of the filesystem
 * that keeps only package databases, with OCI whiteouts (`.wh.<name>` deletes `<name>` and what
 * is under it; `.wh..wh..opq` empties its directory of earlier layers' files).
 */
import { decompressLayer, readTar } from './tar.js';
import { parseApkInstalled, parseDistInfoMetadata, parseDpkgStatus, parseOsRelease, parsePackageLock, type InstalledPackage, type OsRelease } from './parsers.js';

export type DatabaseKind = 'dpkg' | 'apk' | 'npm' | 'pypi' | 'os-release';

/** Which package database a path is, if any. */
export function databaseKind(path: string): DatabaseKind | undefined {
  if (path === 'var/lib/dpkg/status' || /^var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path)) return path.endsWith('.md5sums') ? undefined : 'dpkg';
  if (path === 'lib/apk/db/installed') return 'apk';
  if (path === 'package-lock.json' || path.endsWith('/package-lock.json')) return 'npm';
  if (/(^|\/)[^/]+\.dist-info\/METADATA$/.test(path)) return 'pypi';
  if (path === 'etc/os-release' || path === 'usr/lib/os-release') return 'os-release';
  return undefined;
}

/** A sparse filesystem holding only package-database files, built up layer by layer. */
export class LayeredFiles {
  readonly files = new Map<string, Buffer>();

  private removeTree(path: string): void {
    this.files.delete(path);
    const prefix = `${path}/`;
    for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
  }

  /** Applies one layer (gzip or plain tar). */
  applyLayer(layer: Buffer): void {
    const tar = decompressLayer(layer);
    const added = new Set<string>();
    for (const entry of readTar(tar)) {
      const slash = entry.path.lastIndexOf('/');
      const dir = slash < 0 ? '' : entry.path.slice(0, slash);
      const base = entry.path.slice(slash + 1);
      if (base === '.wh..wh..opq') {
        const prefix = dir === '' ? '' : `${dir}/`;
        for (const key of [...this.files.keys()]) if (key.startsWith(prefix) && !added.has(key)) this.files.delete(key);
        continue;
      }
      if (base.startsWith('.wh.')) {
        this.removeTree(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`);
        continue;
      }
      // Any non-directory entry replaces what was at its path (and a file replaces a directory).
      if (entry.type !== 'dir') this.removeTree(entry.path);
      if (!databaseKind(entry.path)) continue;
      if (entry.type === 'file') {
        this.files.set(entry.path, Buffer.from(entry.data));
        added.add(entry.path);
      } else if (entry.type === 'hardlink') {
        const target = this.files.get(entry.linkname);
        if (target) {
          this.files.set(entry.path, target);
          added.add(entry.path);
        }
      }
    }
  }
}

export interface ImagePackages {
  readonly packages: InstalledPackage[];
  readonly os?: OsRelease;
}

/** Parses the package databases left after all layers. */
export function packagesOf(fs: LayeredFiles): ImagePackages {
  const packages: InstalledPackage[] = [];
  let os: OsRelease | undefined;
  const paths = [...fs.files.keys()].sort();
  for (const path of paths) {
    const text = fs.files.get(path)!.toString('utf8');
    const location = `/${path}`;
    switch (databaseKind(path)) {
      case 'dpkg':
        packages.push(...parseDpkgStatus(text, location));
        break;
      case 'apk':
        packages.push(...parseApkInstalled(text, location));
        break;
      case 'npm':
        packages.push(...parsePackageLock(text, location));
        break;
      case 'pypi':
        packages.push(...parseDistInfoMetadata(text, location));
        break;
      case 'os-release':
        if (path === 'etc/os-release' || !os) os = parseOsRelease(text) ?? os;
        break;
      default:
        break;
    }
  }
  const seen = new Set<string>();
  const unique = packages.filter((p) => {
    const key = `${p.ecosystem}\0${p.name}\0${p.version}\0${p.location}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { packages: unique, ...(os ? { os } : {}) };
}

/** Installed packages of an image given its layers, lowest first. */
export function extractPackages(layers: Iterable<Buffer>): ImagePackages {
  const fs = new LayeredFiles();
  for (const layer of layers) fs.applyLayer(layer);
  return packagesOf(fs);
}
