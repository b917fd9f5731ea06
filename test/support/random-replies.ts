/**
 * Seeded random Replies for the renderers' fuzz tests. Every renderer must
 * survive the same hostile shapes (huge counts, huge strings, markup, control
 * and combining characters); each platform adds the markup it must escape and
 * the sizes that stress its own limits.
 */
import type { Reply, ReplyButton, ReplyField, ReplyImage, ReplyTable } from "../../core/reply.ts";

/** A small seeded PRNG, so the generated replies are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What breaks any renderer: the core's markup, the escaping trio, wide and combining characters, NUL. */
const SHARED_PIECES = [
  ...["a", "Summer", " ", "- ", "\n", "**", "_", "`", "[", "]", "(", ")", "&", "<", ">"],
  ...["😀", "👩‍👩‍👧‍👦", "日本", "é", "\u0301", "\u0000"],
  ...["[Q3](https://x.test/a?b=1&c=2)", "https://clout.test/r/x", "**bold & co**", "`code <x>`"],
];

/** Random choices over one seeded stream, strings built from hostile pieces. */
export class Fuzz {
  readonly random: () => number;
  private readonly pieces: readonly string[];

  constructor(seed: number, pieces: readonly string[]) {
    this.random = mulberry32(seed);
    this.pieces = [...SHARED_PIECES, ...pieces];
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }

  /** 0 to max, inclusive. */
  int(max: number): number {
    return Math.floor(this.random() * (max + 1));
  }

  /** Up to maxPieces pieces; now and then one repeated hundreds of times, for the long runs that break cutting. */
  str(maxPieces: number): string {
    let s = "";
    const n = this.int(maxPieces);
    for (let i = 0; i < n; i++) s += this.chance(0.05) ? this.pick(this.pieces).repeat(this.int(500)) : this.pick(this.pieces);
    return s;
  }

  some<T>(p: number, f: () => T): T | undefined {
    return this.chance(p) ? f() : undefined;
  }

  /** Usually up to `usual` items, one time in ten up to `most`, so the overflow paths are hit too. */
  many<T>(most: number, usual: number, f: () => T): T[] {
    return Array.from({ length: this.int(this.chance(0.1) ? most : usual) }, f);
  }
}

export interface RandomReplyOptions {
  count: number;
  /** The platform's own markup and entities, on top of the shared pieces. */
  pieces: readonly string[];
  /** Pieces in the rare long text, past the platform's message size. */
  longText: number;
  fields: { most: number; usual: number; longValue: number; inline: boolean };
  /** Rows in the rare big table. */
  tableRows: number;
  buttons: { most: number; usual: number; styled: boolean; command: (f: Fuzz) => string };
  /** Left out where the platform has no images; longAlts where it shows alt text in its own limited field. */
  images?: { longAlts: boolean };
  ephemeral?: boolean;
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

/** `count` Replies from one seed, each part present or not at random. */
export function* randomReplies(seed: number, o: RandomReplyOptions): Generator<Reply> {
  const f = new Fuzz(seed, o.pieces);
  const field = (): ReplyField => ({
    label: f.str(5),
    value: f.str(f.chance(0.1) ? o.fields.longValue : 20),
    ...(o.fields.inline ? { inline: f.chance(0.5) } : {}),
  });
  const table = (): ReplyTable => {
    const rows = f.many(o.tableRows, 20, () => Array.from({ length: f.int(14) }, () => f.str(f.chance(0.03) ? 200 : 8)));
    return { columns: Array.from({ length: f.int(12) }, () => f.str(6)), rows, ...(f.chance(0.3) ? { total: rows.length + f.int(10_000) } : {}) };
  };
  const button = (): ReplyButton => ({
    label: f.str(f.chance(0.2) ? 100 : 4),
    command: o.buttons.command(f),
    ...(o.buttons.styled && f.chance(0.4) ? { style: f.pick(["primary", "danger"] as const) } : {}),
  });
  const image = (longAlts: boolean): ReplyImage => {
    const filename = f.str(3);
    return { png, filename, alt: longAlts ? f.str(f.chance(0.2) ? 2000 : 5) : filename };
  };
  for (let i = 0; i < o.count; i++) {
    const { images, ephemeral } = o;
    const parts: Reply = {
      title: f.some(0.7, () => f.str(f.chance(0.2) ? 400 : 10)),
      text: f.some(0.7, () => f.str(f.chance(0.1) ? o.longText : 60)),
      fields: f.some(0.5, () => f.many(o.fields.most, o.fields.usual, field)),
      table: f.some(0.5, table),
      buttons: f.some(0.5, () => f.many(o.buttons.most, o.buttons.usual, button)),
      images: images && f.some(0.2, () => f.many(15, 3, () => image(images.longAlts))),
      tone: f.some(0.3, () => f.pick(["info", "success", "warning", "error"] as const)),
      ephemeral: ephemeral ? f.some(0.2, () => true) : undefined,
    };
    // Absent rather than undefined, as the core builds them.
    yield Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)) as Reply;
  }
}
