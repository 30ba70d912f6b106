/**
 * Keeps the heap (and so RSS) near what is live. A backfill promotes every buffered row to the old
 * generation and drops them all at each flush; V8 then lets old space grow to several times the live
 * size before it compacts (measured: ~30 MB live, 130+ MB heap, 300-900 MB RSS on 1M rows). A full
 * collection right after a flush, when the dropped batch is garbage, costs a few ms per flush and holds
 * peak RSS near live + one batch. `gc` is reached through the documented --expose-gc flag, set at run time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/** A full GC function, or null when the runtime refuses (then nothing happens). */
export function fullGc(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') collect = existing;
    else {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    }
  } catch {
    collect = null;
  }
  return collect;
}
