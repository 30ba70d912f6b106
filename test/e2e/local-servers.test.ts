/**
 * The local-server scripts as users run them: stopped servers come back with `up`,
 * `up` on a running server is a quick no-op, `status` tells the two apart by exit code.
 * Skipped when external servers are configured (nothing local to stop).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionsFromEnv } from '@ndr/config';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const conn = connectionsFromEnv(process.env);

function script(path: string, cmd: string) {
  const t0 = Date.now();
  const r = spawnSync('bash', [path, cmd], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

describe.each([
  ['clickhouse', 'infra/clickhouse/clickhouse.sh', conn.clickhouse.local],
  ['kafka', 'infra/kafka/kafka.sh', conn.kafka.local],
])('%s local server script', (name, path, local) => {
  it.skipIf(!local)('stops, reports stopped, starts again, and reports running', () => {
    expect(script(path, 'down').status).toBe(0);
    const stopped = script(path, 'status');
    expect(stopped.status).toBe(3);
    expect(stopped.out).toMatch(/stopped/);

    const started = script(path, 'up');
    expect(started.status, started.out).toBe(0);
    const running = script(path, 'status');
    expect(running.status).toBe(0);
    expect(running.out).toMatch(new RegExp(`${name} .*running`, 'i'));
  });

  it.skipIf(!local)('treats up on a running server as a quick no-op', () => {
    const again = script(path, 'up');
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/already running/);
    expect(again.ms).toBeLessThan(10_000);
  });

  it('prints usage for --help and refuses an unknown command', () => {
    const help = script(path, '--help');
    expect(help.status).toBe(0);
    expect(help.out).toMatch(/Usage:/);
    expect(script(path, 'frobnicate').status).toBe(2);
  });
});
