/**
 * The CLI's flow in one place: parse argv -> build the context -> run the handler -> render its
 * data -> exit code. Every error ends here: user mistakes and server Status errors print one
 * `error:` line and exit 1; unexpected errors print their stack only with --debug.
 */
import { CommanderError } from 'commander';
import { GROUPS, TOP_LEVEL } from './commands/index.js';
import { createContext, type GlobalOptions } from './context.js';
import { UserError } from './errors.js';
import { isOutputFormat } from './output.js';
import { buildProgram, type Invocation } from './program.js';
import { emit, shouldColor } from './render.js';

function compileGlobals(raw: Readonly<Record<string, unknown>>): GlobalOptions {
  const output = typeof raw.output === 'string' && isOutputFormat(raw.output) ? raw.output : 'table';
  return {
    server: typeof raw.server === 'string' ? raw.server : undefined,
    token: typeof raw.token === 'string' ? raw.token : undefined,
    cluster: typeof raw.cluster === 'string' ? raw.cluster : undefined,
    output,
    debug: raw.debug === true,
  };
}

function errorLine(message: string, color: boolean): string {
  const line = `error: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`;
  return color ? `\x1b[31m${line}\x1b[0m` : line;
}

/** Runs one CLI invocation (argv without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const debug = argv.includes('--debug');
  const errColor = shouldColor(process.stderr.isTTY, env);
  const io = { writeOut: (s: string) => void process.stdout.write(s), writeErr: (s: string) => void process.stderr.write(s) };
  try {
    let invocation: Invocation | undefined;
    const program = buildProgram(TOP_LEVEL, GROUPS, (inv) => (invocation = inv), io);
    await program.parseAsync([...argv], { from: 'user' });
    if (!invocation) return 0;
    const globals = compileGlobals(invocation.globals);
    const ctx = createContext(globals, env);
    const output = await invocation.command.handler(ctx, invocation.input);
    await emit(output, { format: globals.output, color: shouldColor(process.stdout.isTTY, env) }, { stdout: io.writeOut, stderr: io.writeErr });
    return output.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its one line
    if (e instanceof UserError || isExpectedServerError(e)) {
      io.writeErr(errorLine(e.message, errColor));
      if (debug && e.stack) io.writeErr(`${e.stack}\n`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.writeErr(errorLine(`${message}${debug ? '' : ' (an unexpected error; run with --debug for the stack)'}`, errColor));
    if (debug && e instanceof Error && e.stack) io.writeErr(`${e.stack}\n`);
    return 1;
  }
}

/**
 * Errors of the platform's own vocabulary (BulkheadError: a ValidationError in a topology file, a
 * port in use wrapped by the server) are the user's to fix, not bugs. Checked by shape so that
 * the CLI does not load src/api at startup.
 */
function isExpectedServerError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  const x = e as Error & { code?: unknown; reason?: unknown };
  if (typeof x.code === 'number' && typeof x.reason === 'string' && x.code >= 400 && x.code < 500) return true;
  return x.code === 'EADDRINUSE' || x.code === 'EACCES' || x.code === 'ENOENT';
}
