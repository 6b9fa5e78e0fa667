/**
 * Installed packages of an image: layers applied in order onto a sparse view of the filesystem
 * that keeps only package databases, with OCI whiteouts (`.wh.<name>` deletes `<name>` and what
 * is under it; `.wh..wh..opq` empties its directory of earlier layers' files).
 */
import { decompressLayer, readTar, TarParser, type TarEntry, type TarEntryType } from './tar.js';
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

  /** Applies one layer (gzip or plain tar) held in memory. */
  applyLayer(layer: Buffer): void {
    const apply = this.beginLayer();
    for (const entry of readTar(decompressLayer(layer))) apply(entry);
  }

  /**
   * Applies one layer given as a stream of (already decompressed) tar chunks; only package
   * databases are kept in memory, whatever the layer's size.
   */
  async applyLayerStream(tar: AsyncIterable<Buffer>): Promise<void> {
    await parseTarStream(tar, this.beginLayer());
  }

  /** Starts the next layer: returns the function that applies its entries, in archive order. */
  beginLayer(): (entry: TarEntry) => void {
    const added = new Set<string>();
    return (entry) => this.applyEntry(entry, added);
  }

  /** One entry of a layer, in archive order; `added` holds the paths this layer has written. */
  private applyEntry(entry: TarEntry, added: Set<string>): void {
    const slash = entry.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : entry.path.slice(0, slash);
    const base = entry.path.slice(slash + 1);
    if (base === '.wh..wh..opq') {
      const prefix = dir === '' ? '' : `${dir}/`;
      for (const key of [...this.files.keys()]) if (key.startsWith(prefix) && !added.has(key)) this.files.delete(key);
      return;
    }
    if (base.startsWith('.wh.')) {
      this.removeTree(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`);
      return;
    }
    // Any non-directory entry replaces what was at its path (and a file replaces a directory).
    if (entry.type !== 'dir' && this.files.size > 0) this.removeTree(entry.path);
    if (!databaseKind(entry.path)) return;
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

/** The streaming parser keeps the content of package databases only. */
const wantsData = (path: string, type: TarEntryType): boolean => type === 'file' && databaseKind(path) !== undefined;

/** Feeds a decompressed tar stream to `onEntry`, keeping only package databases' content. */
export async function parseTarStream(tar: AsyncIterable<Buffer>, onEntry: (entry: TarEntry) => void): Promise<void> {
  const parser = new TarParser(wantsData, onEntry);
  for await (const chunk of tar) parser.write(chunk);
  parser.end();
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
