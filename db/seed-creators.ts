import { SOCIAL_PLATFORMS, type SocialPlatform } from "../core/creators/handles.ts";
import type { SqlRunner } from "./database.ts";

const CATEGORIES = ["beauty", "fashion", "fitness", "food", "gaming", "tech", "travel", "comedy", "music", "parenting"];
const LOCATIONS = ["BR", "KE", "PT", "NG", "US", "GB", "ZA", "MX", "IN", "ES"];

/**
 * Many creators at once, for load: one INSERT … SELECT over generate_series
 * for the creators and one for their handles (one per platform asked, all
 * named `seed<number>`), instead of a round trip each. Numbers are taken
 * from the workspace's counter in the same transaction, so `creator add`
 * carries on after them.
 */
export async function seedCreators(sql: SqlRunner, workspaceId: string, count: number, platforms: readonly SocialPlatform[] = SOCIAL_PLATFORMS): Promise<{ first: number; last: number }> {
  return sql.session(async (s) => {
    await s.exec("BEGIN");
    try {
      const [{ value }] = (await s.query<{ value: number }>(
        `INSERT INTO workspace_counters (workspace_id, name, value) VALUES ($1::uuid, 'creator', $2::int)
         ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + $2::int RETURNING value`,
        [workspaceId, count],
      )) as [{ value: number }];
      const first = value - count + 1;
      await s.query(
        `INSERT INTO creators (id, workspace_id, number, name, name_key, category, location, language)
         SELECT gen_random_uuid(), $1::uuid, g, 'Seed Creator ' || g, 'seed creator ' || g,
           ($4::text[])[1 + g % array_length($4::text[], 1)], ($5::text[])[1 + (g / 7) % array_length($5::text[], 1)], CASE WHEN g % 3 = 0 THEN 'pt' ELSE 'en' END
         FROM generate_series($2::int, $3::int) g`,
        [workspaceId, first, value, CATEGORIES, LOCATIONS],
      );
      await s.query(
        `INSERT INTO creator_handles (id, workspace_id, creator_id, platform, handle)
         SELECT gen_random_uuid(), c.workspace_id, c.id, p, 'seed' || c.number
         FROM creators c CROSS JOIN unnest($4::"SocialPlatform"[]) p
         WHERE c.workspace_id = $1::uuid AND c.number BETWEEN $2::int AND $3::int`,
        [workspaceId, first, value, platforms],
      );
      await s.exec("COMMIT");
      return { first, last: value };
    } catch (err) {
      await s.exec("ROLLBACK");
      throw err;
    }
  });
}
