import type { Db } from "../../db/database.ts";

/** One human click as it travels from the redirect to the database. */
export interface ClickRecord {
  clickId: string;
  linkId: string;
  at: Date;
  visitorHash: string;
  /** Decided at redirect time, so storing the same click again stores the same answer. */
  isUnique: boolean;
  isQr: boolean;
}

/**
 * Stores a batch of clicks and adds exactly the newly stored ones to the daily
 * roll-ups, in one statement (so one transaction): a click already stored (a
 * batch replayed after its worker died) adds nothing, and one whose link has
 * since been deleted is dropped. Roll-up rows are locked in key order, so two
 * workers writing the same links' days wait for each other rather than
 * deadlock.
 */
export async function storeClicks(db: Db, clicks: ClickRecord[]): Promise<number> {
  if (clicks.length === 0) return 0;
  const input = JSON.stringify(clicks.map((c) => ({ click_id: c.clickId, link_id: c.linkId, at: c.at.toISOString(), visitor_hash: c.visitorHash, is_unique: c.isUnique, is_qr: c.isQr })));
  const [row] = await db.$queryRawUnsafe<{ inserted: number }[]>(
    `WITH input AS (
       SELECT * FROM json_to_recordset($1::json) AS t(click_id text, link_id uuid, at timestamptz, visitor_hash text, is_unique boolean, is_qr boolean)
     ), inserted AS (
       INSERT INTO clicks (click_id, link_id, at, visitor_hash, is_unique, is_qr)
       SELECT i.click_id, i.link_id, i.at, i.visitor_hash, i.is_unique, i.is_qr FROM input i JOIN referral_links l ON l.id = i.link_id
       ON CONFLICT (click_id) DO NOTHING
       RETURNING link_id, at, is_unique, is_qr
     ), rolled AS (
       INSERT INTO link_daily_stats AS s (link_id, day, clicks, unique_clicks, qr_clicks)
       SELECT link_id, (at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE is_unique), count(*) FILTER (WHERE is_qr)
       FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (link_id, day) DO UPDATE SET clicks = s.clicks + EXCLUDED.clicks, unique_clicks = s.unique_clicks + EXCLUDED.unique_clicks, qr_clicks = s.qr_clicks + EXCLUDED.qr_clicks
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM rolled)::int AS days`,
    input,
  );
  return row?.inserted ?? 0;
}
