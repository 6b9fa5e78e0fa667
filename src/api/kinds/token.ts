/** Token: a bearer token's public record (owner, expiry). The secret's hash is kept apart. */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const TokenSpecSchema = Type.Object(
  {
    user: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String({ maxLength: 256 })),
    /** RFC 3339; absent means the token does not expire. */
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type TokenSpec = Static<typeof TokenSpecSchema>;

export interface TokenStatus {
  readonly lastUsed?: string;
}

export type Token = Resource<TokenSpec, TokenStatus>;
