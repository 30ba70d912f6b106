/**
 * A reader's plain object → NormalizedEvent through @ndr/events' own shapes: the same detection order,
 * zod schema and normaliser as the Kafka decoder (decode.ts), minus the bytes → JSON step the file
 * reader has already done. Never throws.
 */
import { reject, SHAPES_BY_KIND, type NormalizeResult, type TopicKind } from '@ndr/events';

export function normalizeRecord(kind: TopicKind, value: Record<string, unknown>): NormalizeResult {
  try {
    for (const shape of SHAPES_BY_KIND[kind]) if (shape.matches(value)) return shape.normalize(value);
    const keys = Object.keys(value).slice(0, 8).join(', ');
    return reject(
      'unknown_shape',
      `no ${SHAPES_BY_KIND[kind].map((s) => s.name).join(' / ')} fields for ${kind} (keys: ${keys || 'none'})`,
    );
  } catch (err) {
    return reject('internal_error', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}
