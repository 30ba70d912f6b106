import type { Command } from 'commander';
import { register as consume } from './consume.js';
import { register as migrate } from './migrate.js';
import { register as retention } from './retention.js';
import { register as status } from './status.js';
import { register as classify } from './classify.js';
import { register as explain } from './explain.js';
import { register as generate } from './generate.js';
import { register as serve } from './serve.js';
import { register as trends } from './trends.js';
import { register as alerts } from './alerts.js';
import { register as demo } from './demo.js';
import { register as backfill } from './backfill.js';

/** Every subcommand module; add one line per command. */
export const commands: Array<(program: Command) => void> = [
  migrate,
  status,
  consume,
  retention,
  classify,
  explain,
  generate,
  serve,
  trends,
  alerts,
  demo,
  backfill,
];
