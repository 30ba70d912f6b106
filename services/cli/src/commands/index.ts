import type { Command } from 'commander';

/** Every subcommand module; add one line per command. */
export const commands: Array<(program: Command) => void> = [];
