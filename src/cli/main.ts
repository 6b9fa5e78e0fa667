#!/usr/bin/env node
/**
 * Entry point of the `bulkhead` command. Kept light on purpose: it imports no server, database or
 * logger code (the `server` command loads the platform lazily), so `bulkhead version` is instant.
 */
import { runCli } from './run.js';

// `bulkhead get vms | head` closes stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
