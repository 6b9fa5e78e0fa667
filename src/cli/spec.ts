/**
 * Declarative command definitions: name, arguments, options, examples and a handler that returns
 * data. `parse` turns commander's raw values into a typed input (and is where flag mistakes become
 * one-line errors); `run` does the work. program.ts turns these into commander commands.
 */
import type { Context } from './context.js';
import type { Output } from './output.js';

export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface OptionSpec {
  /** Commander flags, e.g. `-l, --selector <selector>` or `--wait`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
  /** Commander enforces presence with a one-line error. */
  readonly required?: boolean;
  /** May be given several times; the values collect into an array. */
  readonly repeatable?: boolean;
  readonly choices?: readonly string[];
}

/** What commander hands a handler: positional args in order and the command's own options. */
export interface RawInput {
  readonly args: readonly (string | undefined)[];
  readonly opts: Readonly<Record<string, unknown>>;
}

export interface CommandSpec<P> {
  readonly name: string;
  readonly description: string;
  readonly aliases?: readonly string[];
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  readonly examples?: readonly string[];
  /** Validates raw input into the typed value `run` gets. Throws (or rejects with) UserError. */
  parse(input: RawInput): P | Promise<P>;
  run(ctx: Context, input: P): Promise<Output>;
}

/** A command with its input type erased, so commands of different inputs can share a list. */
export interface Command {
  readonly name: string;
  readonly description: string;
  readonly aliases: readonly string[];
  readonly args: readonly ArgSpec[];
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  readonly handler: (ctx: Context, input: RawInput) => Promise<Output>;
}

/** A parent command (`vm`, `host`, `audit`...) grouping subcommands. */
export interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly commands: readonly Command[];
}

/** Erases a CommandSpec's input type into a Command. */
export function defineCommand<P>(spec: CommandSpec<P>): Command {
  return {
    name: spec.name,
    description: spec.description,
    aliases: spec.aliases ?? [],
    args: spec.args ?? [],
    options: spec.options ?? [],
    examples: spec.examples ?? [],
    handler: async (ctx, input) => spec.run(ctx, await spec.parse(input)),
  };
}
