import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources, so `npm test`
// never runs against a stale build.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const alias = {
  '@ndr/classifier': src('./packages/classifier/src/index.ts'),
  '@ndr/config': src('./packages/config/src/index.ts'),
  '@ndr/kafka': src('./packages/kafka/src/index.ts'),
  '@ndr/api': src('./services/api/src/index.ts'),
  '@ndr/consumer': src('./services/consumer/src/index.ts'),
  '@ndr/writer': src('./services/writer/src/index.ts'),
  '@ndr/backfill': src('./services/backfill/src/index.ts'),
  '@ndr/clickhouse': src('./packages/clickhouse/src/index.ts'),
  '@ndr/events': src('./packages/events/src/index.ts'),
  '@ndr/generator': src('./packages/generator/src/index.ts'),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One file at a time: the servers are shared and the machine has 2 cores. Tests still
          // isolate themselves with random topics, groups and databases.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
