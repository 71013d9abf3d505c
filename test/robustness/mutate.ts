// Mutations of a net.json document for the fuzz tests: type flips, deleted
// keys, off-by-one sizes, out-of-range values, arrays one too short or long,
// hostile names, unknown fields, layers dropped, repeated or swapped. Each
// mutation is three small integers (kind, where, variant) so fast-check can
// generate and shrink them, and a failure replays from its printed values.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

export type Mutation = [kind: number, where: number, variant: number];

export const MUTATION_KINDS = [
  'delete-key', 'type-flip', 'off-by-one', 'out-of-range', 'array-length', 'hostile-name', 'unknown-field', 'layer-order',
] as const;

const FLIPS: Json[] = [null, true, 'x', '12', 1.5, -0.25, [], {}, [1, 2], { file: 'w.bin', encoding: 'int8' }];
const OUT_OF_RANGE: number[] = [0, -1, 1e9, 2 ** 31, -(2 ** 31) - 1, 4097, 65537, 2 ** 53, 1e300, 33, 9, -129, 255, 2 ** 24 + 1];
const NAMES: string[] = ['module', 'wire', 'rram_top', '../evil', '/abs', 'a b', '', 'x'.repeat(49), '9lives', 'ok_name', 'c1', 'D1', '\\esc ', 'é'];

/** Returns a mutated deep copy of `doc`; the original is not touched. */
export function mutate(doc: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(doc) as Json;
  for (const [kind, where, variant] of mutations) apply(root, MUTATION_KINDS[kind % MUTATION_KINDS.length], where, variant);
  return root;
}

function apply(root: Json, kind: typeof MUTATION_KINDS[number], where: number, variant: number): void {
  const paths = interestingPaths(root);
  const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[where % list.length]);
  switch (kind) {
    case 'delete-key': {
      const p = pick(paths.filter((q) => typeof q[q.length - 1] === 'string'));
      if (p !== undefined) delete (get(root, p.slice(0, -1)) as Record<string, Json>)[p[p.length - 1] as string];
      return;
    }
    case 'type-flip': {
      const p = pick(paths);
      if (p !== undefined) set(root, p, structuredClone(FLIPS[variant % FLIPS.length]));
      return;
    }
    case 'off-by-one': {
      const p = pick(paths.filter((q) => typeof get(root, q) === 'number'));
      if (p !== undefined) set(root, p, (get(root, p) as number) + (variant % 2 === 0 ? 1 : -1));
      return;
    }
    case 'out-of-range': {
      const p = pick(paths.filter((q) => typeof get(root, q) === 'number'));
      if (p !== undefined) set(root, p, OUT_OF_RANGE[variant % OUT_OF_RANGE.length]);
      return;
    }
    case 'array-length': {
      const p = pick(paths.filter((q) => Array.isArray(get(root, q))));
      if (p === undefined) return;
      const a = get(root, p) as Json[];
      if (variant % 2 === 0) a.pop(); else a.push(a.length > 0 ? structuredClone(a[a.length - 1]) : 0);
      return;
    }
    case 'hostile-name': {
      const p = pick(paths.filter((q) => q[q.length - 1] === 'name'));
      if (p !== undefined) set(root, p, NAMES[variant % NAMES.length]);
      return;
    }
    case 'unknown-field': {
      const p = pick(paths.filter((q) => isObject(get(root, q))));
      if (p !== undefined) (get(root, p) as Record<string, Json>)[['extra', 'dilation', 'groups', 'Type', '$comment'][variant % 5]] = 1;
      return;
    }
    case 'layer-order': {
      const layers = isObject(root) ? root.layers : undefined;
      if (!Array.isArray(layers) || layers.length === 0) return;
      const i = where % layers.length;
      const j = variant % layers.length;
      if (variant % 3 === 0) layers.splice(i, 1);
      else if (variant % 3 === 1) layers.splice(i, 0, structuredClone(layers[i]));
      else [layers[i], layers[j]] = [layers[j], layers[i]];
    }
  }
}

/**
 * Every path into the document except the bulk of long arrays (only their
 * first two and last elements), so mutations hit structure, not just weights.
 */
function interestingPaths(root: Json): Path[] {
  const out: Path[] = [];
  const walk = (v: Json, p: Path) => {
    out.push(p);
    if (Array.isArray(v)) {
      const idx = v.length <= 3 ? v.map((_, i) => i) : [0, 1, v.length - 1];
      for (const i of idx) walk(v[i], [...p, i]);
    } else if (isObject(v)) {
      for (const k of Object.keys(v)) walk(v[k], [...p, k]);
    }
  };
  walk(root, []);
  return out.filter((p) => p.length > 0);
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function get(root: Json, p: Path): Json {
  let v: Json = root;
  for (const k of p) v = (v as Record<string | number, Json>)[k];
  return v;
}

function set(root: Json, p: Path, value: Json): void {
  (get(root, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1]] = value;
}
