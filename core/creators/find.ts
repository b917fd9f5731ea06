import type { Db, Tx } from "../../db/database.ts";
import { NotFoundError } from "../errors.ts";
import { nameKey, suggest } from "../names.ts";

/** A creator of this workspace by #number, name, or any of their handles ("@murugi"). */
export async function findCreator(db: Db | Tx, workspaceId: string, ref: string) {
  const key = nameKey(ref);
  const where = /^\d+$/.test(ref)
    ? { workspaceId, number: Number(ref) }
    : { workspaceId, OR: [{ nameKey: key }, { handles: { some: { handle: key.replace(/^@/, "") } } }] };
  const creator = await db.creator.findFirst({ where, orderBy: { number: "asc" } });
  if (creator) return creator;
  const near = await db.creator.findMany({ where: { workspaceId }, select: { name: true }, orderBy: { number: "desc" }, take: 200 });
  const close = suggest(ref, near.map((c) => c.name));
  throw new NotFoundError(close ? "creator.not_found_suggest" : "creator.not_found", { ref, suggestion: close ?? "" }, close ? `creator show "${close}"` : "creators search");
}
