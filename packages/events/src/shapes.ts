/**
 * The registry of input shapes: one entry per schema file, in detection order per topic kind.
 * Adding a shape or a version = one schema file + one line here (+ its normaliser).
 */
import type { z } from 'zod';
import {
  normalizeMessageTraceGraph,
  normalizeMessageTraceV2,
  normalizeNdrDsn,
  normalizeTraceDetailGraph,
  normalizeTraceDetailV2,
  type NormalizeOptions,
  type NormalizeResult,
} from './normalize.js';
import type { ParseResult } from './reject.js';
import type { TopicKind } from './topics.js';
import * as mtV2 from './schemas/message-trace-v2.js';
import * as mtGraph from './schemas/message-trace-graph.js';
import * as tdV2 from './schemas/trace-detail-v2.js';
import * as tdGraph from './schemas/trace-detail-graph.js';
import * as ndrDsn from './schemas/ndr-dsn.js';

export interface Shape {
  /** File and JSON Schema name, e.g. `message-trace-v2`. */
  name: string;
  kind: TopicKind;
  version: number;
  schema: z.ZodType;
  /** Whether an object carries this shape's identifying fields (for auto-detection). */
  matches(obj: Record<string, unknown>): boolean;
  /** Validate and normalise one parsed JSON value. Never throws. */
  normalize(input: unknown, opts?: NormalizeOptions): NormalizeResult;
}

interface ShapeModule<R> {
  NAME: string;
  KIND: TopicKind;
  VERSION: number;
  schema: z.ZodType;
  parse(input: unknown): ParseResult<R>;
  fastParse(obj: Record<string, unknown>): R | undefined;
  matches(obj: Record<string, unknown>): boolean;
}

/** What JSON.parse makes: the fast path reads only such objects (anything else goes through zod). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function shape<R>(m: ShapeModule<R>, normalize: (row: R, opts?: NormalizeOptions) => NormalizeResult): Shape {
  return {
    name: m.NAME,
    kind: m.KIND,
    version: m.VERSION,
    schema: m.schema,
    matches: m.matches,
    normalize(input, opts) {
      if (isPlainObject(input)) {
        const row = m.fastParse(input);
        if (row !== undefined) return normalize(row, opts);
      }
      const r = m.parse(input);
      return r.ok ? normalize(r.value, opts) : r;
    },
  };
}

export const SHAPES: readonly Shape[] = [
  shape<mtV2.Row>(mtV2, normalizeMessageTraceV2),
  shape<mtGraph.Row>(mtGraph, normalizeMessageTraceGraph),
  shape<tdV2.Row>(tdV2, normalizeTraceDetailV2),
  shape<tdGraph.Row>(tdGraph, normalizeTraceDetailGraph),
  shape<ndrDsn.Row>(ndrDsn, normalizeNdrDsn),
];

/** Shapes per topic kind, PascalCase (PowerShell) before camelCase (Graph). */
export const SHAPES_BY_KIND: Readonly<Record<TopicKind, readonly Shape[]>> = {
  message_trace: SHAPES.filter((s) => s.kind === 'message_trace'),
  trace_detail: SHAPES.filter((s) => s.kind === 'trace_detail'),
  ndr: SHAPES.filter((s) => s.kind === 'ndr'),
};

export function shapeByName(name: string): Shape | undefined {
  return SHAPES.find((s) => s.name === name);
}
