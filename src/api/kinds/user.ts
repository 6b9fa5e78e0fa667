/** User: a local account. Its password hash is kept apart (security/), never in this object. */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const UserSpecSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 256 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    groups: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserSpec = Static<typeof UserSpecSchema>;

export interface UserStatus {
  readonly hasPassword?: boolean;
  readonly lastLogin?: string;
}

export type User = Resource<UserSpec, UserStatus>;
