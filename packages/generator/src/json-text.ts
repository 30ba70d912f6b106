/**
 * Hand-written JSON for the hot record shapes (about twice as fast as JSON.stringify of an object with
 * varying optional keys). Strings the generator builds from safe alphabets (addresses, ids, IPs, dates,
 * statuses) are spliced between quotes as they are; free text (subjects, reply texts) goes through `q`,
 * which falls back to JSON.stringify whenever the text holds a character JSON must escape. The tests
 * decode every record, so a slip here fails loudly.
 */
/** `"`, `\` or a control character: the characters JSON must escape. */
function mustEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) return true;
  }
  return false;
}

/** A JSON string literal. */
export function q(s: string): string {
  return mustEscape(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A JSON string literal, or null. */
export function qn(s: string | null): string {
  return s === null ? 'null' : q(s);
}

/**
 * One `<MEP …/>` element of a detail event's Data XML, already JSON-escaped (its quotes written `\"`),
 * for splicing between the quotes of a JSON string. `value` must be free of `"` and `\` (IPs, hosts, numbers).
 */
export function mep(name: string, type: 'String' | 'Integer' | 'Long', value: string | number): string {
  return `<MEP Name=\\"${name}\\" ${type}=\\"${value}\\" />`;
}

const SLAB_BYTES = 256 * 1024;

/**
 * Encodes record texts into shared 256 KiB slabs (one `write` and one `subarray` per record instead of a
 * Buffer allocation each). Large texts get their own Buffer. Only the written range of a slab is exposed.
 */
export class SlabEncoder {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private offset = 0;

  encode(text: string): Buffer {
    const worst = text.length * 3;
    if (worst > SLAB_BYTES / 8) return Buffer.from(text);
    if (this.offset + worst > SLAB_BYTES) {
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.offset = 0;
    }
    const n = this.slab.write(text, this.offset);
    const out = this.slab.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
