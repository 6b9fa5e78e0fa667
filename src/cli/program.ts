/**
 * Turns the declarative command list into a commander program. Commander only parses: its action
 * records which command was chosen with what input, and run.ts executes it afterwards. Parse
 * errors are printed as one line and surface as CommanderError (exitOverride).
 */
import { Command as Commander, Option } from 'commander';
import { OUTPUT_FORMATS } from './output.js';
import type { Command, GroupSpec, RawInput } from './spec.js';

/** The command the user chose, with its raw input and the global flags. */
export interface Invocation {
  readonly command: Command;
  readonly input: RawInput;
  readonly globals: Readonly<Record<string, unknown>>;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Collapses commander's (sometimes multi-line) message to one line. */
export function oneLine(text: string): string {
  return `${text.replace(/\s*\n\s*/g, ' ').trim()}\n`;
}

function addCommand(parent: Commander, spec: Command, onInvoke: (inv: Invocation) => void): void {
  const cmd = parent.command(spec.name).description(spec.description);
  for (const a of spec.aliases) cmd.alias(a);
  for (const a of spec.args) cmd.argument(a.required ? `<${a.name}>` : `[${a.name}]`, a.description);
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description);
    if (o.required) opt.makeOptionMandatory(true);
    if (o.choices) opt.choices(o.choices);
    if (o.repeatable) opt.argParser(collect);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
  if (spec.examples.length) cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  cmd.action((...actionArgs: unknown[]) => {
    const self = actionArgs[actionArgs.length - 1] as Commander;
    onInvoke({
      command: spec,
      input: { args: self.processedArgs as (string | undefined)[], opts: self.opts() },
      globals: self.optsWithGlobals(),
    });
  });
}

/** Builds the program; `onInvoke` receives the parsed invocation. */
export function buildProgram(
  topLevel: readonly Command[],
  groups: readonly GroupSpec[],
  onInvoke: (inv: Invocation) => void,
  io: { writeOut(s: string): void; writeErr(s: string): void },
): Commander {
  const program = new Commander('bulkhead')
    .description('Bulkhead: run containers securely on virtual machines')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: (str, write) => write(oneLine(str)) })
    .option('--server <url>', 'API server URL (env BULKHEAD_SERVER; default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (env BULKHEAD_TOKEN)')
    .option('-c, --cluster <cluster>', 'cluster for workload kinds (namespaces, pods, deployments, replicasets, services, endpoints)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--debug', 'print stack traces of unexpected errors');
  for (const c of topLevel) addCommand(program, c, onInvoke);
  for (const g of groups) {
    const group = program.command(g.name).description(g.description);
    for (const c of g.commands) addCommand(group, c, onInvoke);
  }
  return program;
}
