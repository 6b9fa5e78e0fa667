/**
 * Event: something a controller did or saw, recorded against an object (Kubernetes' Event shape,
 * with the fields in `spec`). Same reason and message on the same object bump `count`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const EVENT_TYPES = ['Normal', 'Warning'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventSpecSchema = Type.Object(
  {
    /** The tenant of the involved object, for tenant-scoped reads. */
    tenant: Type.Optional(Type.String()),
    involvedObject: Type.Object({ kind: Type.String(), name: Type.String(), uid: Type.Optional(Type.String()) }, { additionalProperties: false }),
    reason: Type.String(),
    message: Type.String(),
    type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))),
    count: Type.Integer({ minimum: 1 }),
    firstTimestamp: Type.String(),
    lastTimestamp: Type.String(),
  },
  { additionalProperties: false },
);
export type EventSpec = Static<typeof EventSpecSchema>;

export type ClusterEvent = Resource<EventSpec>;
