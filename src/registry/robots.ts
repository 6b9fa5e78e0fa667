/**
 * Robot account secrets: `bhr_<robot name>.<secret>`, shown once; the store keeps sha256(secret)
 * in an internal RegistryRobotSecret bound to the robot's uid, so a robot deleted and re-created
 * under the same name does not inherit the old secret.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  API_VERSION,
  ROBOT_TENANT_LABEL,
  ROBOT_USER_PREFIX,
  UnauthorizedError,
  type Project,
  type Resource,
  type RobotAccount,
  type RobotAccountSpec,
} from '../api/index.js';
import type { Store } from '../store/index.js';
import { INTERNAL_API_VERSION, ROBOT_SECRET_KIND } from './metadata-kinds.js';

interface RobotSecretSpec {
  readonly secretHash: string;
  readonly robotUid: string;
}

const ROBOT_TOKEN_RE = /^bhr_([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([A-Za-z0-9_-]{43})$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface MintedRobot {
  readonly name: string;
  /** What `docker login -u` takes. */
  readonly username: string;
  readonly token: string;
  readonly project: string;
  readonly expiresAt?: string;
}

/** Creates the robot and its secret in one transaction; the token is only returned here. */
export async function mintRobot(store: Store, project: Project, name: string, spec: RobotAccountSpec): Promise<MintedRobot> {
  const secret = randomBytes(32).toString('base64url');
  await store.transaction(async (tx) => {
    const robot: RobotAccount = {
      apiVersion: API_VERSION,
      kind: 'RobotAccount',
      metadata: { name, labels: { [ROBOT_TENANT_LABEL]: project.spec?.tenant ?? '', 'bulkhead.dev/project': project.metadata.name } },
      spec,
    };
    const created = await tx.create(robot);
    const stale = await tx.tryGet(ROBOT_SECRET_KIND, '', name);
    if (stale) await tx.delete(ROBOT_SECRET_KIND, '', name);
    const rec: Resource<RobotSecretSpec> = {
      apiVersion: INTERNAL_API_VERSION,
      kind: ROBOT_SECRET_KIND,
      metadata: { name },
      spec: { secretHash: sha256(secret), robotUid: created.metadata.uid ?? '' },
    };
    await tx.create(rec);
  });
  return {
    name,
    username: `${ROBOT_USER_PREFIX}${name}`,
    token: `bhr_${name}.${secret}`,
    project: project.metadata.name,
    ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
  };
}

export function isRobotToken(s: string): boolean {
  return s.startsWith('bhr_');
}

/** Resolves a robot token (and, for Basic, the user name it came with) to its RobotAccount. */
export async function authenticateRobot(store: Store, token: string, username: string | undefined, now: number): Promise<RobotAccount> {
  const fail = new UnauthorizedError('invalid robot credentials');
  const m = ROBOT_TOKEN_RE.exec(token);
  if (!m) throw fail;
  const name = m[1] ?? '';
  if (username !== undefined && username !== `${ROBOT_USER_PREFIX}${name}` && username !== name) throw fail;
  const [robot, rec] = await Promise.all([store.tryGet<RobotAccount>('RobotAccount', '', name), store.tryGet<Resource<RobotSecretSpec>>(ROBOT_SECRET_KIND, '', name)]);
  const expected = rec?.spec?.secretHash;
  if (!robot?.spec || !expected || rec?.spec?.robotUid !== robot.metadata.uid) throw fail;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(sha256(m[3] ?? '')))) throw fail;
  if (robot.spec.disabled) throw new UnauthorizedError(`robot "${name}" is disabled`);
  if (robot.spec.expiresAt !== undefined && Date.parse(robot.spec.expiresAt) <= now) throw new UnauthorizedError(`robot "${name}" expired at ${robot.spec.expiresAt}`);
  return robot;
}
