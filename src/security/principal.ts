/** Who is making a request: the authenticated user and the groups they belong to. */
export interface Principal {
  readonly user: string;
  readonly groups: readonly string[];
  /** The token that authenticated the request, when there was one. */
  readonly tokenName?: string;
}

/** Kind names of the objects security keeps apart from the served API. */
export const CREDENTIAL_KIND = 'Credential';
