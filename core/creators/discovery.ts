import type { Db } from "../../db/database.ts";
import { Prisma } from "../../db/generated/client.ts";
import { fold } from "../analytics/tokens.ts";
import type { SocialPlatform } from "./handles.ts";

/**
 * Discovery: `creators search` in two SQL queries that stay fast at 450,000
 * creators. Query words are matched with PostgreSQL's full-text search
 * ('simple' configuration: words as written, right for names, handles and two
 * languages at once; PGlite has it built in) against GIN-indexed documents
 * (migration 0015): who a creator is (name, handles, display names), where a
 * word's beginning is enough ("samch" finds @samchef), and what they are about
 * (category, bios, keywords), where the whole word must match: a prefix query
 * makes PostgreSQL re-read every matching row, and topic words match tens of
 * thousands of rows in a big workspace (576 ms against 32 ms for 7,500). Each
 * word is looked up in the indexes on its own and a creator must match every
 * word somewhere. Those matching every word by name or handle come first
 * (someone typing a name wants that person), then the higher influence score
 * (unscored last), then the older profile. Without words, the count stops at
 * COUNT_CAP, so filters matching most of a big workspace do not count it all.
 */
export const DISCOVERY_PAGE = 25;
export const COUNT_CAP = 10_000;
const MAX_WORDS = 6;

export interface DiscoveryFilters {
  query?: string;
  platform?: SocialPlatform;
  minFollowers?: number;
  /** Percent. */
  minEngagement?: number;
  location?: string;
  category?: string;
  language?: string;
}

export interface Found {
  id: string;
  number: number;
  name: string;
  category: string | null;
  location: string | null;
  bio: string | null;
  influenceScore: number | null;
}

/** The words a query looks for: lower case, without a leading "@" or "#", at most six. */
export function queryWords(query: string | undefined): string[] {
  const words = (query ?? "").normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_.'-]*/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** One word as a tsquery, as typed or without its accents ("tomás" finds "tomas" too), whole or as a prefix. */
function wordQuery(word: string, prefix: boolean): string {
  return [...new Set([word, fold(word)])].map((w) => `'${w.replace(/'/g, "''")}'${prefix ? ":*" : ""}`).join(" | ");
}

/** The indexed documents (migration 0015's expressions, so each search uses its index); a match in a `named` one names the creator, and may be a prefix. */
const DOCUMENTS = [
  { table: Prisma.sql`creators`, id: Prisma.sql`id`, doc: Prisma.sql`to_tsvector('simple', name_key)`, named: true },
  { table: Prisma.sql`creator_handles`, id: Prisma.sql`creator_id`, doc: Prisma.sql`to_tsvector('simple', handle || ' ' || coalesce(display_name, ''))`, named: true },
  { table: Prisma.sql`creators`, id: Prisma.sql`id`, doc: Prisma.sql`to_tsvector('simple', coalesce(category, '') || ' ' || coalesce(bio, ''))`, named: false },
  { table: Prisma.sql`creator_handles`, id: Prisma.sql`creator_id`, doc: Prisma.sql`to_tsvector('simple', coalesce(bio, ''))`, named: false },
  { table: Prisma.sql`creator_scores`, id: Prisma.sql`creator_id`, doc: Prisma.sql`to_tsvector('simple', keyword_text)`, named: false },
];

/** The creators matching every word, each with whether every word matched their name or a handle. */
function matching(workspaceId: string, words: string[]): Prisma.Sql {
  const perWord = words.map((w, i) => {
    const union = Prisma.join(
      DOCUMENTS.map((d) => Prisma.sql`SELECT ${d.id} AS creator_id, ${Prisma.raw(String(d.named))} AS named FROM ${d.table} WHERE workspace_id = ${workspaceId}::uuid AND ${d.doc} @@ to_tsquery('simple', ${wordQuery(w, d.named)})`),
      " UNION ALL ",
    );
    return Prisma.sql`${Prisma.raw(`w${i}`)} AS (SELECT creator_id, bool_or(named) AS named FROM (${union}) m GROUP BY creator_id)`;
  });
  // Only generated names (w0, w1 …) go in raw: the words themselves are parameters above.
  const joins = Prisma.raw(words.map((_, i) => (i ? ` JOIN w${i} USING (creator_id)` : "w0")).join(""));
  const named = Prisma.raw(words.map((_, i) => `w${i}.named`).join(" AND "));
  return Prisma.sql`WITH ${Prisma.join(perWord, ", ")}, hits AS (SELECT creator_id, ${named} AS named FROM ${joins})`;
}

export async function discover(db: Db, workspaceId: string, f: DiscoveryFilters): Promise<{ rows: Found[]; total: number; capped: boolean; words: string[] }> {
  const words = queryWords(f.query);
  const conditions: Prisma.Sql[] = [Prisma.sql`c.workspace_id = ${workspaceId}::uuid`];
  if (f.platform) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM creator_handles h WHERE h.creator_id = c.id AND h.platform = ${f.platform}::"SocialPlatform")`);
  const onPlatform = f.platform ? Prisma.sql`AND m.platform = ${f.platform}::"SocialPlatform"` : Prisma.empty;
  if (f.minFollowers !== undefined) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM creator_platform_metrics m WHERE m.creator_id = c.id AND m.followers >= ${f.minFollowers} ${onPlatform})`);
  if (f.minEngagement !== undefined) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM creator_platform_metrics m WHERE m.creator_id = c.id AND m.engagement_rate >= ${f.minEngagement} ${onPlatform})`);
  if (f.location) conditions.push(Prisma.sql`c.location = ${f.location}`);
  if (f.category) conditions.push(Prisma.sql`c.category = ${f.category}`);
  if (f.language) conditions.push(Prisma.sql`c.language = ${f.language}`);
  const where = Prisma.join(conditions, " AND ");
  const columns = Prisma.sql`c.id, c.number, c.name, c.category, c.location, c.bio, c.influence_score AS "influenceScore"`;
  if (words.length) {
    // The matches are already gathered to be ranked: counting them in the same pass costs nothing more.
    const rows = await db.$queryRaw<Array<Found & { total: number }>>`
      ${matching(workspaceId, words)}
      SELECT ${columns}, count(*) OVER ()::int AS total FROM creators c JOIN hits ON hits.creator_id = c.id
       WHERE ${where} ORDER BY hits.named DESC, c.influence_score DESC NULLS LAST, c.number LIMIT ${DISCOVERY_PAGE}`;
    return { rows: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0, capped: false, words };
  }
  // Without words the page comes off the score index; the count stops at COUNT_CAP.
  const [rows, counted] = await Promise.all([
    db.$queryRaw<Found[]>`SELECT ${columns} FROM creators c WHERE ${where} ORDER BY c.influence_score DESC NULLS LAST, c.number LIMIT ${DISCOVERY_PAGE}`,
    db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM (SELECT 1 FROM creators c WHERE ${where} LIMIT ${COUNT_CAP + 1}) x`,
  ]);
  const n = counted[0]?.n ?? 0;
  return { rows, total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP, words };
}

export type MatchPlace = "name" | "handle" | "bio" | "category" | "keywords";
const NAMED: ReadonlySet<MatchPlace> = new Set(["name", "handle"]);

/** Where each word was found, for the "why" of a result: the first place, in this order, matched as the search matches it. */
export function matchedWhere(words: string[], places: Array<[MatchPlace, string | null | undefined]>): Array<{ word: string; where: MatchPlace }> {
  return words.flatMap((word) => {
    const forms = [...new Set([word, fold(word)])];
    const hit = places.find(([place, text]) => {
      if (!text) return false;
      const found = (t: string) => forms.some((w) => hasWord(t, w, NAMED.has(place)));
      return found(text.toLowerCase()) || found(fold(text));
    });
    return hit ? [{ word, where: hit[0] }] : [];
  });
}

const LETTER = /[\p{L}\p{N}]/u;

/** The word at a word's start (and, unless a prefix is enough, ending with it). */
function hasWord(text: string, word: string, prefix: boolean): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const end = text[at + word.length];
    if ((at === 0 || !LETTER.test(text[at - 1]!)) && (prefix || end === undefined || !LETTER.test(end))) return true;
  }
  return false;
}
