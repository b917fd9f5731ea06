import type { Clock } from "../core/clock.ts";
import type { Ids } from "../core/ids.ts";
import { consoleExternalId } from "../core/identity/console.ts";
import { nameKey } from "../core/names.ts";
import type { Role } from "../core/roles.ts";
import type { Db } from "./database.ts";

const DAY = 86_400_000;

const MEMBERS: { name: string; role: Role }[] = [
  { name: "Ana Souza", role: "owner" },
  { name: "Ben Otieno", role: "admin" },
  { name: "Carla Mendes", role: "manager" },
  { name: "Dev Patel", role: "analyst" },
  { name: "Murugi Wanjiku", role: "creator" },
];

const CREATORS = [
  { name: "Murugi Wanjiku", handles: { instagram: "murugi", tiktok: "murugi.w" }, phone: "+254712345678", category: "beauty", location: "KE", language: "en", member: "Murugi Wanjiku" },
  { name: "Njugush", handles: { instagram: "njugush", youtube: "njugushofficial" }, phone: "+254722000111", category: "comedy", location: "KE", language: "sw" },
  { name: "Bia Lima", handles: { instagram: "bialima", tiktok: "bialima" }, phone: "+5511987654321", category: "fashion", location: "BR", language: "pt" },
  { name: "Tomás Reis", handles: { youtube: "tomasreis", x: "tomasreis" }, phone: "+351912345678", category: "tech", location: "PT", language: "pt" },
] as const;

/**
 * The demo workspace `scripts/dev` opens the console in. Idempotent: an
 * existing workspace with the slug is left exactly as it is.
 */
export async function seedDemo(db: Db, deps: { clock: Clock; ids: Ids }, slug = "demo"): Promise<{ created: boolean }> {
  if (await db.workspace.findUnique({ where: { slug } })) return { created: false };
  const now = deps.clock.now();
  return db.$transaction(async (tx) => {
    // Two processes starting together on one database: the second waits here, then finds the seed done.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`seed:${slug}`}))::text`;
    if (await tx.workspace.findUnique({ where: { slug } })) return { created: false };
    const workspace = await tx.workspace.create({ data: { id: deps.ids.uuid(), name: "Demo Brand", slug, currency: "USD", timezone: "Africa/Nairobi", createdAt: now } });
    const memberIds = new Map<string, string>();
    for (const m of MEMBERS) {
      const id = deps.ids.uuid();
      memberIds.set(m.name, id);
      await tx.member.create({
        data: {
          id,
          workspaceId: workspace.id,
          displayName: m.name,
          nameKey: nameKey(m.name),
          role: m.role,
          createdAt: now,
          identities: { create: { id: deps.ids.uuid(), platform: "console", externalId: consoleExternalId(slug, nameKey(m.name)), label: m.name } },
        },
      });
    }
    let number = 0;
    for (const c of CREATORS) {
      await tx.creator.create({
        data: {
          id: deps.ids.uuid(),
          workspaceId: workspace.id,
          number: ++number,
          name: c.name,
          nameKey: nameKey(c.name),
          phone: c.phone,
          category: c.category,
          location: c.location,
          language: c.language,
          memberId: "member" in c ? memberIds.get(c.member) : null,
          createdAt: now,
          handles: { create: Object.entries(c.handles).map(([platform, handle]) => ({ id: deps.ids.uuid(), workspaceId: workspace.id, platform: platform as "instagram", handle })) },
        },
      });
    }
    const startsOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 7 * DAY);
    await tx.campaign.create({
      data: {
        id: deps.ids.uuid(),
        workspaceId: workspace.id,
        number: 1,
        name: "Holiday Glow",
        nameKey: nameKey("Holiday Glow"),
        objective: "engagement",
        budgetMinor: 800_000n,
        currency: "USD",
        startsOn,
        endsOn: new Date(startsOn.getTime() + 45 * DAY),
        status: "active",
        createdById: memberIds.get("Carla Mendes"),
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.workspaceCounter.createMany({
      data: [
        { workspaceId: workspace.id, name: "creator", value: CREATORS.length },
        { workspaceId: workspace.id, name: "campaign", value: 1 },
      ],
    });
    return { created: true };
  });
}
