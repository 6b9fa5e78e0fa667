/** `bulkhead whoami`: who the server thinks you are, your groups and role bindings. */
import { defineCommand } from '../spec.js';

/** The server's answer to GET /auth/whoami. */
export interface WhoAmI {
  readonly user: string;
  readonly groups?: readonly string[];
  readonly bindings?: readonly { readonly role: string; readonly tenant?: string }[];
}

export const whoamiCommand = defineCommand<Record<string, never>>({
  name: 'whoami',
  description: 'Show the authenticated user, groups and role bindings',
  examples: ['bulkhead whoami', 'bulkhead whoami -o json'],
  parse: () => ({}),
  run: async (ctx) => {
    const me = await ctx.client().request<WhoAmI>('GET', '/auth/whoami');
    const groups = me.groups?.length ? me.groups.join(', ') : '<none>';
    const bindings = me.bindings?.length ? me.bindings.map((b) => (b.tenant ? `${b.role} (tenant ${b.tenant})` : `${b.role} (platform)`)).join(', ') : '<none>';
    return {
      type: 'message',
      lines: [`user:     ${me.user}`, `server:   ${ctx.connection().server}`, `groups:   ${groups}`, `bindings: ${bindings}`],
      data: me,
      names: [me.user],
    };
  },
});
