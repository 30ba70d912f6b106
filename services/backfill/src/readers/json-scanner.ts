/**
 * A streaming splitter for the JSON files PowerShell, Graph and pollers write: it finds where each record
 * starts and ends without building the whole document, so memory stays at one record whatever the file size.
 *
 * Records are the elements of a top-level array (`ConvertTo-Json` of many objects), the elements of an
 * envelope array inside a top-level object (`{"value": […]}` Graph pages, `{"records": […]}` Event Hubs
 * batches, `{"d": {"results": […]}}` OData pages), or a top-level object that is no envelope. Several
 * top-level values may follow each other (concatenated pages, pretty-printed objects one after another).
 *
 * Only structure is scanned (brackets outside strings; strings skipped with indexOf); each record's text
 * is handed to JSON.parse by the caller. A file that ends inside a value is truncated: `end()` throws.
 */

const OBJ = 1;
const ARR = 2;
const ENVELOPE_KEYS = new Set(['value', 'records']);

export type Emit = (text: string, line: number) => void;

export class JsonScanner {
  private stack: number[] = [];
  private line = 1;
  private inString = false;
  /** The string being scanned started at depth 1 of a top-level object (a possible key). */
  private stringIsKeyCandidate = false;
  private keyParts: string[] = [];
  private lastString: string | null = null;
  /** Key of the member being read, per depth (only tracked at depth 1 and 2 of a top-level object). */
  private keyAt: (string | null)[] = [null, null, null];
  /** Depth whose container's direct children are records; 0 = none. */
  private recordDepth = 0;
  /** Capture of the current record: parts from earlier chunks, start index in this chunk. */
  private capturing = false;
  private captureParts: string[] = [];
  private captureStart = 0;
  private captureLine = 0;
  /** The captured value is a scalar inside a record array (ends at `,` or `]`). */
  private scalarCapture = false;
  /** The capture is the whole top-level object (dropped if it turns out to be an envelope). */
  private topCapture = false;

  constructor(private readonly emit: Emit) {}

  get depth(): number {
    return this.stack.length;
  }

  feed(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    if (this.capturing) this.captureStart = 0;
    if (this.inString) i = this.scanString(chunk, 0);
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (c === 34 /* " */) {
        if (this.scalarStartsHere()) this.startCapture(i, true);
        this.stringIsKeyCandidate = this.stack.length <= 2 && this.stack[0] === OBJ && this.topObjectKeyDepth();
        this.keyParts = [];
        i = this.scanString(chunk, i + 1);
        continue;
      }
      if (c === 10) {
        this.line++;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        this.open(c === 123 ? OBJ : ARR, chunk, i);
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.close(c === 125 ? OBJ : ARR, chunk, i);
      } else if (c === 58 /* : */) {
        const d = this.stack.length;
        if (this.lastString !== null && d <= 2) this.keyAt[d] = this.lastString;
        this.lastString = null;
      } else if (c === 44 /* , */) {
        if (this.scalarCapture && this.stack.length === this.recordDepth) this.endCapture(chunk, i);
        this.lastString = null;
      } else if (c !== 32 && c !== 9 && c !== 13) {
        // A number, true/false/null, or stray text.
        if (this.stack.length === 0) {
          throw new SyntaxError(
            `unexpected ${JSON.stringify(chunk[i])} at line ${this.line} outside any object or array`,
          );
        }
        if (this.scalarStartsHere()) this.startCapture(i, true);
      }
      i++;
    }
    if (this.capturing) this.captureParts.push(chunk.slice(this.captureStart));
  }

  /** Throws when the input stopped inside a value (a truncated file). */
  end(): void {
    if (this.inString || this.stack.length > 0) {
      throw new SyntaxError(`unexpected end of JSON at line ${this.line} (${this.stack.length} levels still open)`);
    }
  }

  private topObjectKeyDepth(): boolean {
    const d = this.stack.length;
    return d === 1 || (d === 2 && this.stack[1] === OBJ && this.keyAt[1] === 'd');
  }

  private scalarStartsHere(): boolean {
    return !this.capturing && this.recordDepth > 0 && this.stack.length === this.recordDepth;
  }

  /** The last chunk ended right after an odd run of backslashes inside a string: its first char is escaped. */
  private escapeNext = false;

  /** Skips a string body from `i`; returns the index after the closing quote (or n when it continues). */
  private scanString(chunk: string, i: number): number {
    let j = i;
    if (this.escapeNext) {
      this.escapeNext = false;
      j = i + 1;
    }
    for (;;) {
      const q = chunk.indexOf('"', j);
      if (q < 0) {
        this.inString = true;
        if (this.stringIsKeyCandidate) this.keyParts.push(chunk.slice(i));
        this.escapeNext = backslashesBefore(chunk, chunk.length, j) % 2 === 1;
        return chunk.length;
      }
      if (backslashesBefore(chunk, q, j) % 2 === 0) {
        this.inString = false;
        if (this.stringIsKeyCandidate) {
          this.keyParts.push(chunk.slice(i, q));
          this.lastString = this.keyParts.join('');
          this.stringIsKeyCandidate = false;
        } else this.lastString = null;
        return q + 1;
      }
      j = q + 1;
    }
  }

  private open(type: number, chunk: string, i: number): void {
    const d = this.stack.length;
    if (d === 0) {
      this.keyAt = [null, null, null];
      if (type === ARR) this.recordDepth = 1;
      else {
        this.startCapture(i, false);
        this.topCapture = true;
      }
    } else if (!this.capturing && this.recordDepth > 0 && d === this.recordDepth) {
      this.startCapture(i, false);
    } else if (type === ARR && this.stack[0] === OBJ && this.recordDepth === 0) {
      const key = this.keyAt[d] ?? null;
      if (
        (d === 1 && key !== null && ENVELOPE_KEYS.has(key)) ||
        (d === 2 && this.keyAt[1] === 'd' && key === 'results')
      ) {
        // An envelope: the wrapper object is not a record, its array's elements are.
        this.capturing = false;
        this.topCapture = false;
        this.captureParts = [];
        this.recordDepth = d + 1;
      }
    }
    this.stack.push(type);
    this.lastString = null;
    if (d + 1 <= 2) this.keyAt[d + 1] = null;
  }

  private close(type: number, chunk: string, i: number): void {
    const top = this.stack.pop();
    if (top !== type) {
      throw new SyntaxError(
        `unexpected ${JSON.stringify(chunk[i])} at line ${this.line}${top === undefined ? ' outside any value' : ''}`,
      );
    }
    const d = this.stack.length;
    if (this.scalarCapture && d + 1 === this.recordDepth) this.endCapture(chunk, i);
    if (this.capturing && !this.scalarCapture && d === (this.topCapture ? 0 : this.recordDepth)) {
      this.endCapture(chunk, i + 1);
      this.topCapture = false;
    }
    if (this.recordDepth > 0 && d < this.recordDepth) this.recordDepth = 0;
    this.lastString = null;
  }

  private startCapture(i: number, scalar: boolean): void {
    this.capturing = true;
    this.scalarCapture = scalar;
    this.captureParts = [];
    this.captureStart = i;
    this.captureLine = this.line;
  }

  private endCapture(chunk: string, endExclusive: number): void {
    this.captureParts.push(chunk.slice(this.captureStart, endExclusive));
    const text = this.captureParts.length === 1 ? this.captureParts[0]! : this.captureParts.join('');
    this.capturing = false;
    this.scalarCapture = false;
    this.captureParts = [];
    this.emit(text.trim(), this.captureLine);
  }
}

/** The run of backslashes immediately before `end`, not looking before `floor`. */
function backslashesBefore(chunk: string, end: number, floor: number): number {
  let k = end - 1;
  while (k >= floor && chunk.charCodeAt(k) === 92) k--;
  return end - 1 - k;
}
