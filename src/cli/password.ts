/** Getting a password from `--password` or `--password-stdin` (never both; stdin's trailing newline dropped). */
import type { Context } from './context.js';
import { UserError } from './errors.js';

/** How the password is supplied, as parsed from flags. */
export type PasswordSource = { readonly from: 'flag'; readonly value: string } | { readonly from: 'stdin' } | { readonly from: 'none' };

export function parsePasswordSource(opts: Readonly<Record<string, unknown>>): PasswordSource {
  const flag = opts.password;
  const stdin = opts.passwordStdin === true;
  if (flag !== undefined && stdin) throw new UserError('use either --password or --password-stdin, not both');
  if (stdin) return { from: 'stdin' };
  if (flag !== undefined) {
    if (typeof flag !== 'string' || flag === '') throw new UserError('--password must not be empty');
    return { from: 'flag', value: flag };
  }
  return { from: 'none' };
}

/** The password, or undefined for `none`. */
export async function readPassword(ctx: Context, src: PasswordSource): Promise<string | undefined> {
  if (src.from === 'none') return undefined;
  if (src.from === 'flag') return src.value;
  const text = (await ctx.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw new UserError('--password-stdin: no password on stdin');
  return text;
}
