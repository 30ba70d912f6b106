/**
 * The phrases' symbols as a trie, for phrase-matcher.ts: a filter hit at a text position names a trie node at
 * depth k (through a small hash table of the phrases' first k symbols), and one walk down the trie from there
 * finds every phrase starting at that position.
 *
 * Layout: nodes in depth-first order, one record of three int32 per node — the symbol on the edge into it, the
 * end of its subtree, the folded phrase ending there (-1 if none). A node's first child is the next record, a
 * sibling is at the previous sibling's subtree end, so walking along a phrase reads consecutive memory. (The
 * walks run between much other work and find the trie out of cache: a pointer-chasing layout cost several
 * times more.)
 */

export interface PhraseTrie {
  /** Node x: `trie[3x]` symbol into x, `trie[3x + 1]` end of x's subtree (node number), `trie[3x + 2]` fid or -1. */
  readonly trie: Int32Array;
  /** Packed first-k-symbols key → node at depth k and its prefix number (open addressing; key -1 = empty). */
  readonly keyOf: Int32Array;
  readonly nodeOf: Int32Array;
  readonly prefixOf: Int32Array;
  readonly keyBits: number;
  /** Prefix number (0…) of each folded phrase's first k symbols. */
  readonly prefixOfFid: Int32Array;
  readonly prefixes: number;
}

export const HASH = 0x9e3779b1;

interface BuildNode {
  readonly sym: number;
  fid: number;
  readonly children: Map<number, BuildNode>;
}

/** `symbols[fid]`: the folded phrase as symbols; `k` symbols of `shift` bits make a key. */
export function buildTrie(symbols: readonly Uint16Array[], k: number, shift: number): PhraseTrie {
  const root: BuildNode = { sym: -1, fid: -1, children: new Map() };
  symbols.forEach((sym, fid) => {
    let x = root;
    for (let q = 0; q < sym.length; q++) {
      const y = sym[q] as number;
      let next = x.children.get(y);
      if (next === undefined) {
        next = { sym: y, fid: -1, children: new Map() };
        x.children.set(y, next);
      }
      x = next;
    }
    x.fid = fid;
  });

  // Depth-first numbering; keys of the depth-k nodes on the way, and which prefix each phrase has.
  const records: number[] = [];
  const keys = new Map<number, number>();
  const prefixOfFid = new Int32Array(symbols.length);
  let prefix = -1;
  const visit = (x: BuildNode, depth: number, key: number): void => {
    const id = records.length / 3;
    records.push(x.sym, 0, x.fid);
    if (depth === k) {
      keys.set(key, id);
      prefix = keys.size - 1;
    }
    if (x.fid >= 0) prefixOfFid[x.fid] = prefix;
    for (const child of x.children.values()) visit(child, depth + 1, depth < k ? key * 2 ** shift + child.sym : key);
    records[id * 3 + 1] = records.length / 3;
  };
  visit(root, 0, 0);

  let keyBits = 4;
  while (2 ** keyBits < keys.size * 4) keyBits++;
  const keyOf = new Int32Array(2 ** keyBits).fill(-1);
  const nodeOf = new Int32Array(2 ** keyBits);
  const prefixOf = new Int32Array(2 ** keyBits);
  let p = 0;
  for (const [key, node] of keys) {
    let h = Math.imul(key, HASH) >>> (32 - keyBits);
    while (keyOf[h] !== -1) h = (h + 1) & (keyOf.length - 1);
    keyOf[h] = key;
    nodeOf[h] = node;
    prefixOf[h] = p++;
  }
  return { trie: Int32Array.from(records), keyOf, nodeOf, prefixOf, keyBits, prefixOfFid, prefixes: keys.size };
}
