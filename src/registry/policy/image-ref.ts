/**
 * Container image references as pods name them: `[HOST/]PROJECT/REPO[:TAG|@DIGEST]`. The host is
 * the registry's address as the node would pull it; the registry's policy applies to any
 * reference whose project exists here (see policy/README.md for why the host does not matter).
 */
import { isDigest, isTag, parseRepoName, type RepoName } from '../names.js';

export interface ImageRef {
  readonly host?: string;
  readonly repo: RepoName;
  /** A tag or a digest. */
  readonly reference: string;
  readonly byDigest: boolean;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/** Docker's rule: the first component is a registry host when it has a dot or a port, or is localhost. */
function looksLikeHost(first: string): boolean {
  return (first.includes('.') || first.includes(':') || first === 'localhost') && HOST.test(first);
}

/** Parses an image reference; undefined when it cannot name a repository of this registry. */
export function parseImageRef(image: string): ImageRef | undefined {
  let rest = image.trim();
  let host: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0 && looksLikeHost(rest.slice(0, slash))) {
    host = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let name = rest;
  let reference = 'latest';
  let byDigest = false;
  const at = rest.indexOf('@');
  if (at >= 0) {
    name = rest.slice(0, at);
    reference = rest.slice(at + 1);
    byDigest = true;
    // `repo:tag@digest`: the digest wins, as container runtimes do.
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      name = rest.slice(0, colon);
      reference = rest.slice(colon + 1);
    }
  }
  if (byDigest ? !isDigest(reference) : !isTag(reference)) return undefined;
  try {
    const repo = parseRepoName(name.split('/'));
    return { ...(host ? { host } : {}), repo, reference, byDigest };
  } catch {
    return undefined;
  }
}
