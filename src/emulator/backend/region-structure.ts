// Structured control flow for a region (what lets V8 compile a guest loop
// into a host loop instead of a dispatch per block transition). The region's
// blocks and their internal edges form a graph; an ENTRY node jumps to the
// entry blocks. As v86 does for WebAssembly (this is our own code, after its
// design): strongly connected components become loops (a loop with several
// entries starts with a dispatcher on `b`), and a forward jump over elements
// becomes a `break` out of a labelled block wrapped around them
// (blockify). Emitted as JavaScript by emit-region.ts:
//
//   bb k          the code of block k
//   dispatch [e]  switch (b) to the entry e (break out of the blocks in front of it)
//   loop  [...]   L: for (;;) { ...; break; }   a jump to its head is `continue L`
//   block [...]   B: { ... }                    a jump to what follows it is `break B`

export type Structure =
  | { readonly kind: 'bb'; readonly block: number }
  | { readonly kind: 'dispatch'; readonly entries: readonly number[] }
  | { readonly kind: 'loop'; readonly children: Structure[] }
  | { readonly kind: 'block'; readonly children: Structure[] };

/** The graph node standing for the function's entry (the dispatcher on `b`). */
export const ENTRY = -1;

type Graph = Map<number, Set<number>>;

/** The blocks control can arrive at when it reaches this element. */
export function heads(s: Structure): number[] {
  switch (s.kind) {
    case 'bb': return [s.block];
    case 'dispatch': return [...s.entries];
    case 'loop':
    case 'block': return heads(s.children[0]!);
  }
}

/** True if entering the element needs `b` set to the target (it starts with a dispatcher). */
export function startsWithDispatch(s: Structure): boolean {
  switch (s.kind) {
    case 'bb': return false;
    case 'dispatch': return true;
    case 'loop':
    case 'block': return startsWithDispatch(s.children[0]!);
  }
}

/** Every block the element may jump to. */
function branches(s: Structure, edges: Graph, out = new Set<number>()): Set<number> {
  switch (s.kind) {
    case 'bb':
      for (const t of edges.get(s.block) ?? []) out.add(t);
      break;
    case 'dispatch':
      for (const e of s.entries) out.add(e);
      break;
    case 'loop':
    case 'block':
      for (const c of s.children) branches(c, edges, out);
      break;
  }
  return out;
}

function reverse(g: Graph): Graph {
  const r: Graph = new Map();
  for (const n of g.keys()) r.set(n, new Set());
  for (const [from, tos] of g) for (const to of tos) r.get(to)?.add(from);
  return r;
}

/** Strongly connected components in topological order of the condensation (Kosaraju). */
function components(g: Graph): number[][] {
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (n: number): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const m of [...(g.get(n) ?? [])].sort((a, b) => a - b)) if (g.has(m)) visit(m);
    order.push(n);
  };
  for (const n of [...g.keys()].sort((a, b) => a - b)) visit(n);
  const rev = reverse(g);
  const assigned = new Set<number>();
  const groups: number[][] = [];
  for (const n of order.reverse()) {
    if (assigned.has(n)) continue;
    const group: number[] = [];
    const stack = [n];
    assigned.add(n);
    while (stack.length) {
      const x = stack.pop()!;
      group.push(x);
      for (const y of rev.get(x) ?? []) {
        if (!assigned.has(y)) {
          assigned.add(y);
          stack.push(y);
        }
      }
    }
    groups.push(group.sort((a, b) => a - b));
  }
  return groups;
}

/** Loops from the strongly connected components, innermost first by recursion. */
function loopify(g: Graph): Structure[] {
  const rev = reverse(g);
  const out: Structure[] = [];
  for (const group of components(g)) {
    if (group.length === 1) {
      const n = group[0]!;
      if (n === ENTRY) {
        out.push({ kind: 'dispatch', entries: [...g.get(ENTRY)!].sort((a, b) => a - b) });
      } else if (g.get(n)!.has(n)) {
        out.push({ kind: 'loop', children: [{ kind: 'bb', block: n }] });
      } else {
        out.push({ kind: 'bb', block: n });
      }
      continue;
    }
    const members = new Set(group);
    // The loop's entries: members reached from outside it.
    const entries = group.filter((n) => [...(rev.get(n) ?? [])].some((p) => !members.has(p)));
    // Inside, a jump to an entry is the loop's back-edge; the rest may hold inner loops.
    const inner: Graph = new Map();
    for (const n of group) inner.set(n, new Set([...g.get(n)!].filter((t) => members.has(t) && !entries.includes(t))));
    const children = loopify(inner);
    if (entries.length > 1) children.unshift({ kind: 'dispatch', entries });
    out.push({ kind: 'loop', children });
  }
  return out;
}

/** Wraps elements in blocks so that every forward jump is a break out of one (in place). */
function blockify(list: Structure[], edges: Graph): void {
  for (const s of list) if (s.kind === 'loop' || s.kind === 'block') blockify(s.children, edges);
  let i = 1;
  while (i < list.length) {
    const target = new Set(heads(list[i]!));
    let source = -1;
    for (let j = 0; j < i; j++) {
      if ([...branches(list[j]!, edges)].some((t) => target.has(t))) {
        source = j;
        break;
      }
    }
    // A block right before needs no wrapper: it falls through (emit-region breaks out of the block's own label).
    if (source < 0 || (source === i - 1 && list[source]!.kind === 'bb')) {
      i++;
      continue;
    }
    const wrapped = list.splice(source, i - source, { kind: 'block', children: [] });
    (list[source] as { children: Structure[] }).children.push(...wrapped);
    // The target is now right after the new block: on to the element after it.
    i = source + 2;
  }
}

/**
 * The structure of a region: blocks 0..n-1, `succ[k]` the blocks block k may
 * jump to inside the region, `entries` where control may come in (the head
 * first). Every block must be reachable from an entry.
 */
export function structureRegion(succ: readonly (readonly number[])[], entries: readonly number[]): Structure[] {
  const g: Graph = new Map();
  succ.forEach((ts, k) => g.set(k, new Set(ts)));
  g.set(ENTRY, new Set(entries));
  const list = loopify(g);
  blockify(list, g);
  return list;
}

/**
 * The blocks a region must take as entries besides those given: every block
 * no other block of the region jumps to. A loop head inside is not an entry,
 * so that loops nest; when a loop's poll leaves the region, the cpu loop
 * interprets from its head until it reaches an entry. Its interpreted runs
 * before the region formed do not count again (exec/tb-gen.ts heatBase): it
 * heads a region of its own only if control keeps arriving there from
 * outside the region, a hot threshold's worth of runs.
 */
export function regionEntries(succ: readonly (readonly number[])[], given: readonly number[]): number[] {
  const entries = new Set(given);
  const hasPred = new Set<number>();
  succ.forEach((ts, k) => ts.forEach((t) => { if (t !== k) hasPred.add(t); }));
  succ.forEach((_, k) => { if (!hasPred.has(k)) entries.add(k); });
  // Blocks no entry reaches (a cycle only entered from outside): enter them there.
  const seen = new Set<number>();
  const walk = (k: number): void => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const t of succ[k] ?? []) walk(t);
  };
  for (const e of entries) walk(e);
  succ.forEach((_, k) => {
    if (!seen.has(k)) {
      entries.add(k);
      walk(k);
    }
  });
  return [...entries].sort((a, b) => a - b);
}
