#!/usr/bin/env node
/**
 * `ndr`: one command line for the pipeline. Each subcommand lives in
 * `commands/<name>.ts` and exports `register(program)`.
 */
import { Command } from 'commander';
import { commands } from './commands/index.js';

const program = new Command()
  .name('ndr')
  .description('Exchange Online NDR and message-trace pipeline: classify bounces, run the pipeline, query trends')
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ sortSubcommands: true });

for (const register of commands) register(program);

await program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`ndr: ${message}\n`);
  // Open sockets (Kafka, ClickHouse) would keep a failed command alive: exit now.
  process.exit(1);
});
