import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEAD_LETTER_TOPIC, DEFAULT_TOPICS, REJECT_REASONS, SHAPES } from '@ndr/events';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every reject reason, shape and default topic', () => {
    for (const reason of REJECT_REASONS) expect(readme).toContain(`| \`${reason}\` |`);
    for (const shape of SHAPES) expect(readme).toContain(`**${shape.name}**`);
    for (const topic of [...Object.values(DEFAULT_TOPICS), DEFAULT_DEAD_LETTER_TOPIC])
      expect(readme).toContain(`\`${topic}\``);
  });
});
