/** Runs SQL in chdb (a current ClickHouse engine, in-process, from PyPI), installed on first use. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface ChdbResult {
  version: string;
  results: string[];
  error?: { index: number; statement: string; message: string };
}

export function chdb(statements: string[]): ChdbResult {
  const py = spawnSync('bash', ['infra/clickhouse/chdb-setup.sh'], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  if (py.status !== 0) throw new Error(`chdb setup failed: ${py.stderr}`);
  const r = spawnSync(py.stdout.trim(), ['infra/clickhouse/chdb-run.py'], {
    cwd: repo,
    input: JSON.stringify({ statements }),
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  if (!r.stdout) throw new Error(`chdb-run produced no output: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChdbResult;
}
