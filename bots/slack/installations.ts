import type { Installation, InstallationQuery, InstallationStore } from "@slack/oauth";
import type { Clock } from "../../core/clock.ts";
import type { SecretBox } from "../../core/secrets.ts";
import type { Db } from "../../db/database.ts";

/** Org-wide installs answer for every team of the org; others per team. */
function keyOf(q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const key = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!key) throw new Error("installation query names no team or enterprise");
  return key;
}

/**
 * Slack installations in PostgreSQL, tokens sealed: the row holds the team's
 * name for people, and everything secret only inside `sealed`.
 */
export class PrismaInstallationStore implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async storeInstallation(installation: Installation<"v1" | "v2", boolean>): Promise<void> {
    const installKey = keyOf({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    const now = this.clock.now();
    const row = { teamId: installation.team?.id ?? null, teamName: installation.team?.name ?? installation.enterprise?.name ?? null, botUserId: installation.bot?.userId ?? null, sealed: this.box.seal(JSON.stringify(installation)), updatedAt: now };
    await this.db.slackInstallation.upsert({ where: { installKey }, create: { installKey, installedAt: now, ...row }, update: row });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<"v1" | "v2", boolean>> {
    const row = await this.db.slackInstallation.findUnique({ where: { installKey: keyOf(query) } });
    if (!row) throw new Error(`no Slack installation for ${keyOf(query)}`);
    return JSON.parse(this.box.open(row.sealed)) as Installation<"v1" | "v2", boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.db.slackInstallation.deleteMany({ where: { installKey: keyOf(query) } });
  }
}
