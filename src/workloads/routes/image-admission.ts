/**
 * Deploy-time image policy at admission: a Pod, or a Deployment or ReplicaSet whose template names
 * an image its registry project refuses (vulnerable, unscanned, unsigned), is refused with 403 and
 * the reasons, per container. Checked on create and when an update changes an image (scaling an
 * existing workload does not re-check). The policy itself is the registry's (PlatformServices).
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, type KindDef, type Resource } from '../../api/index.js';
import type { ImageUse, RouteContext } from '../../platform/extension.js';
import { principalOf } from '../../server/authz.js';

interface ContainerLike {
  readonly image?: unknown;
}
interface PodSpecLike {
  readonly containers?: readonly ContainerLike[];
}

function containersOf(def: KindDef, spec: unknown): { prefix: string; containers: readonly ContainerLike[] } | undefined {
  if (def.kind === 'Pod') return { prefix: 'spec', containers: (spec as PodSpecLike | undefined)?.containers ?? [] };
  if (def.kind === 'Deployment' || def.kind === 'ReplicaSet') {
    const tmpl = (spec as { template?: { spec?: PodSpecLike } } | undefined)?.template?.spec;
    return { prefix: 'spec.template.spec', containers: tmpl?.containers ?? [] };
  }
  return undefined;
}

/** The images an object would run, with their field paths. */
export function imageUses(def: KindDef, spec: unknown): ImageUse[] {
  const found = containersOf(def, spec);
  if (!found) return [];
  return found.containers.flatMap((c, i) => (typeof c.image === 'string' ? [{ image: c.image, field: `${found.prefix}.containers[${i}].image` }] : []));
}

/** Refuses `obj` when the image policy refuses one of its images (only images that changed since `old`). */
export async function admitImages(ctx: RouteContext, req: FastifyRequest, def: KindDef, obj: Resource, tenant: string | undefined, old?: Resource): Promise<void> {
  const policy = ctx.services.imagePolicy;
  if (!policy) return;
  const before = new Set(old ? imageUses(def, old.spec).map((u) => u.image) : []);
  const uses = imageUses(def, obj.spec).filter((u) => !before.has(u.image));
  if (uses.length === 0) return;
  const refusals = await policy.check(uses, { user: principalOf(req).user, ...(tenant ? { tenant } : {}) });
  if (refusals.length === 0) return;
  const detail = refusals.map((r) => `${r.field}: ${r.message}`).join('; ');
  const message = `${def.plural} "${obj.metadata.name}" is forbidden by the image policy: ${detail}`;
  if (req.auditInfo) req.auditInfo.reason = message;
  throw new ForbiddenError(message);
}
