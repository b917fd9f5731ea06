/**
 * The project's own migrator, on real PostgreSQL (empty databases made for
 * each test) and on embedded PGlite, plus the guard that db/schema.prisma and
 * the SQL migrations describe the same tables, and the demo seed's idempotence.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.ts";
import { randomIds } from "../../core/ids.ts";
import { connectDatabase } from "../../db/connect.ts";
import type { Database, SqlRunner } from "../../db/database.ts";
import { $Enums, Prisma } from "../../db/generated/client.ts";
import { loadMigrations, migrate, MigrationError, type Migration } from "../../db/migrate.ts";
import { seedDemo } from "../../db/seed.ts";
import { createEmptyDatabase, createTestDatabase } from "../support/database.ts";

const SCHEMA_FILE = new URL("../../db/schema.prisma", import.meta.url);
const MIGRATIONS = loadMigrations();
const NAMES = MIGRATIONS.map((m) => m.name);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  // Connections close before their databases are dropped: last registered, first run.
  for (const c of cleanups.reverse()) await c();
});

/** An empty PostgreSQL database and `n` connections to it, all cleaned up after the file. */
async function emptyPostgres(n = 1): Promise<Database[]> {
  const empty = await createEmptyDatabase();
  cleanups.push(() => empty.drop());
  const dbs: Database[] = [];
  for (let i = 0; i < n; i++) {
    const database = await connectDatabase({ url: empty.url, dataDir: "", poolSize: 2 });
    cleanups.push(() => database.close());
    dbs.push(database);
  }
  return dbs;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clout-migrate-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });

async function appliedRows(sql: SqlRunner) {
  return sql.query<{ name: string; checksum: string }>("SELECT name, checksum FROM _clout_migrations ORDER BY name");
}

async function tableExists(sql: SqlRunner, table: string): Promise<boolean> {
  const [row] = await sql.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
  return row?.t != null;
}

/** Runs a promise expected to fail and hands back the error. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("migrate on PostgreSQL", () => {
  it("applies every migration to an empty database, then none, recording each once with its checksum", async () => {
    const [database] = await emptyPostgres();
    expect(NAMES.length).toBeGreaterThan(0);
    expect(await migrate(database!.sql)).toEqual(NAMES);
    expect(await migrate(database!.sql)).toEqual([]);
    expect(await appliedRows(database!.sql)).toEqual(MIGRATIONS.map((m) => ({ name: m.name, checksum: m.checksum })));
  });

  it("serialises concurrent runs on an advisory lock: each migration is applied exactly once", async () => {
    const dbs = await emptyPostgres(3);
    // A slow last step widens the window in which an unlocked second runner would collide.
    const set = [...MIGRATIONS, migration("9000_slow_probe.sql", "SELECT pg_sleep(0.3); CREATE TABLE slow_probe (id int);")];
    const results = await Promise.all(dbs.map((d) => migrate(d.sql, set)));
    expect(results.flat().sort()).toEqual(set.map((m) => m.name).sort());
    // One runner did it all; the others found nothing left.
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    expect((await appliedRows(dbs[0]!.sql)).map((r) => r.name)).toEqual(set.map((m) => m.name));
    // The lock was given back: a later run proceeds at once.
    expect(await migrate(dbs[1]!.sql, set)).toEqual([]);
  });

  it("refuses a migration edited after it was applied, changing nothing", async () => {
    const [database] = await emptyPostgres();
    await migrate(database!.sql);
    const first = MIGRATIONS[0]!;
    const edited = [migration(first.name, `${first.sql}\nCREATE TABLE sneaky (id int);\n`), ...MIGRATIONS.slice(1)];
    const err = await rejection(migrate(database!.sql, edited));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toContain(first.name);
    expect(err.message).toContain("edited");
    expect(await tableExists(database!.sql, "sneaky")).toBe(false);
    expect(await appliedRows(database!.sql)).toEqual(MIGRATIONS.map((m) => ({ name: m.name, checksum: m.checksum })));
  });

  it("refuses a database that has a migration this checkout does not know (code older than the database)", async () => {
    const [database] = await emptyPostgres();
    const newer = [...MIGRATIONS, migration("9001_from_the_future.sql", "CREATE TABLE future_probe (id int);")];
    expect(await migrate(database!.sql, newer)).toEqual(newer.map((m) => m.name));
    const err = await rejection(migrate(database!.sql));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toContain("9001_from_the_future.sql");
  });

  it("rolls a failing migration back entirely and does not record it; the fixed file then applies", async () => {
    const [database] = await emptyPostgres();
    await migrate(database!.sql);
    const broken = migration("9002_broken.sql", "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT * FROM no_such_table;");
    const err = await rejection(migrate(database!.sql, [...MIGRATIONS, broken]));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toContain("9002_broken.sql");
    expect(err.message).toContain("no_such_table");
    expect(await tableExists(database!.sql, "half_done")).toBe(false);
    expect((await appliedRows(database!.sql)).map((r) => r.name)).toEqual(NAMES);
    // Nothing was left half-applied or locked: the corrected migration goes in cleanly.
    const fixed = migration("9002_broken.sql", "CREATE TABLE half_done (id int);");
    expect(await migrate(database!.sql, [...MIGRATIONS, fixed])).toEqual(["9002_broken.sql"]);
    expect(await tableExists(database!.sql, "half_done")).toBe(true);
  });
});

describe("migrate on embedded PGlite", () => {
  it(
    "applies every migration, then none; data written through Prisma survives close and reopen",
    async () => {
      const dataDir = join(tempDir(), "pglite");
      const first = await connectDatabase({ dataDir });
      let id: string;
      try {
        expect(first.kind).toBe("pglite");
        expect(await migrate(first.sql)).toEqual(NAMES);
        expect(await migrate(first.sql)).toEqual([]);
        expect(await appliedRows(first.sql)).toEqual(MIGRATIONS.map((m) => ({ name: m.name, checksum: m.checksum })));
        await expectSchemaMatchesDatabase(first.sql);
        id = randomIds.uuid();
        await first.db.workspace.create({ data: { id, name: "Kept Brand", slug: "kept" } });
      } finally {
        await first.close();
      }

      const second = await connectDatabase({ dataDir });
      try {
        expect(await migrate(second.sql)).toEqual([]);
        expect(await second.db.workspace.findUnique({ where: { slug: "kept" } })).toMatchObject({ id, name: "Kept Brand", currency: "USD" });
        expect(await appliedRows(second.sql)).toHaveLength(NAMES.length);
      } finally {
        await second.close();
      }
    },
    60_000,
  );

  it(
    "rolls a failing migration back on PGlite too",
    async () => {
      const database = await connectDatabase({ dataDir: join(tempDir(), "pglite") });
      try {
        const broken = migration("9002_broken.sql", "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;");
        const err = await rejection(migrate(database.sql, [...MIGRATIONS, broken]));
        expect(err).toBeInstanceOf(MigrationError);
        expect(await tableExists(database.sql, "half_done")).toBe(false);
        // The earlier migrations in the same run each committed on their own.
        expect((await appliedRows(database.sql)).map((r) => r.name)).toEqual(NAMES);
        expect(await migrate(database.sql)).toEqual([]);
      } finally {
        await database.close();
      }
    },
    60_000,
  );
});

// ---------------------------------------------------------------------------
// Schema drift guard: db/schema.prisma (what Prisma believes) against the
// migrated database (what the SQL files made).

interface SchemaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  /** A scalar list (`SocialPlatform[]`): a PostgreSQL array column. */
  list: boolean;
  /** The native type attribute, e.g. "Uuid", "Char(3)", "Timestamptz(3)". */
  native?: string;
}
interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
}

/**
 * A minimal reader for the parts of a Prisma schema that name tables and
 * columns: model blocks, @map/@@map, native types, scalar lists. Relation
 * fields (another model's type, one or a list) have no column and are skipped.
 */
function parseSchema(text: string): { models: SchemaModel[]; enums: Set<string> } {
  const source = text.replace(/\/\/.*$/gm, "");
  const blocks = [...source.matchAll(/^\s*(model|enum|type|view)\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)];
  const modelNames = new Set(blocks.filter((b) => b[1] === "model").map((b) => b[2]!));
  const enums = new Set(blocks.filter((b) => b[1] === "enum").map((b) => b[2]!));
  const models = blocks
    .filter((b) => b[1] === "model")
    .map(([, , name, body]) => {
      const lines = body!.split("\n").map((l) => l.trim()).filter(Boolean);
      const table = /^@@map\("([^"]+)"\)/m.exec(lines.filter((l) => l.startsWith("@@")).join("\n"))?.[1] ?? name!;
      const fields: SchemaField[] = [];
      for (const line of lines) {
        if (line.startsWith("@@")) continue;
        const m = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
        if (!m) throw new Error(`schema.prisma: can't read the line "${line}" in model ${name}`);
        const [, field, type, list, optional, attrs] = m;
        if (modelNames.has(type!)) continue;
        fields.push({
          name: field!,
          column: /@map\("([^"]+)"\)/.exec(attrs!)?.[1] ?? field!,
          type: type!,
          optional: Boolean(optional),
          list: Boolean(list),
          native: /@db\.(\w+(?:\([^)]*\))?)/.exec(attrs!)?.[1],
        });
      }
      return { name: name!, table, fields };
    });
  return { models, enums };
}

interface DbColumn {
  table_name: string;
  column_name: string;
  is_nullable: "YES" | "NO";
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  datetime_precision: number | null;
}

/** What information_schema should say for a field: data type, and length or precision where it matters. */
function expectedColumn(f: SchemaField, enums: Set<string>): Partial<DbColumn> {
  if (f.list) {
    // information_schema names an array's element by its internal name: _text, _int4, _"SocialPlatform".
    const element = expectedColumn({ ...f, list: false }, enums);
    const internal: Record<string, string> = { text: "text", integer: "int4", bigint: "int8", uuid: "uuid", "double precision": "float8", boolean: "bool" };
    const name = element.data_type === "USER-DEFINED" ? element.udt_name : internal[element.data_type!];
    if (!name) throw new Error(`the drift guard does not know a list of ${element.data_type} (${f.name}); add it to expectedColumn`);
    return { data_type: "ARRAY", udt_name: `_${name}` };
  }
  if (enums.has(f.type)) return { data_type: "USER-DEFINED", udt_name: f.type };
  const native = f.native ? /^(\w+)(?:\((\d+)\))?/.exec(f.native) : null;
  const arg = native?.[2] === undefined ? undefined : Number(native[2]);
  switch (native?.[1]) {
    case undefined:
      break;
    case "Uuid":
      return { data_type: "uuid" };
    case "Text":
      return { data_type: "text" };
    case "Char":
      return { data_type: "character", character_maximum_length: arg ?? 1 };
    case "VarChar":
      return { data_type: "character varying", ...(arg === undefined ? {} : { character_maximum_length: arg }) };
    case "Date":
      return { data_type: "date" };
    case "Timestamptz":
      return { data_type: "timestamp with time zone", datetime_precision: arg ?? 6 };
    case "Timestamp":
      return { data_type: "timestamp without time zone", datetime_precision: arg ?? 6 };
    case "JsonB":
      return { data_type: "jsonb" };
    default:
      throw new Error(`the drift guard does not know @db.${f.native} (${f.name}); add it to expectedColumn`);
  }
  // Prisma's PostgreSQL defaults when no native type is given.
  const defaults: Record<string, Partial<DbColumn>> = {
    String: { data_type: "text" },
    Int: { data_type: "integer" },
    BigInt: { data_type: "bigint" },
    Float: { data_type: "double precision" },
    Decimal: { data_type: "numeric" },
    Boolean: { data_type: "boolean" },
    DateTime: { data_type: "timestamp without time zone", datetime_precision: 3 },
    Json: { data_type: "jsonb" },
    Bytes: { data_type: "bytea" },
  };
  const d = defaults[f.type];
  if (!d) throw new Error(`the drift guard does not know the Prisma type ${f.type} (${f.name}); add it to expectedColumn`);
  return d;
}

const SCHEMA = parseSchema(readFileSync(SCHEMA_FILE, "utf8"));

async function expectSchemaMatchesDatabase(sql: SqlRunner): Promise<void> {
  const rows = await sql.query<DbColumn>(
    `SELECT c.table_name, c.column_name, c.is_nullable, c.data_type, c.udt_name, c.character_maximum_length, c.datetime_precision
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_clout_migrations'`,
  );
  const dbColumns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  const schemaColumns = new Map<string, { model: string; field: SchemaField }>(SCHEMA.models.flatMap((m) => m.fields.map((f) => [`${m.table}.${f.column}`, { model: m.name, field: f }] as const)));

  // Tables, both ways.
  expect([...new Set(rows.map((r) => r.table_name))].sort(), "tables in the database vs models in schema.prisma").toEqual(SCHEMA.models.map((m) => m.table).sort());
  // Columns, both ways.
  const missingInDb = [...schemaColumns.keys()].filter((k) => !dbColumns.has(k));
  const missingInSchema = [...dbColumns.keys()].filter((k) => !schemaColumns.has(k));
  expect(missingInDb, "fields of schema.prisma with no column in the migrated database").toEqual([]);
  expect(missingInSchema, "columns of the migrated database that schema.prisma does not describe").toEqual([]);
  // Each column's type and nullability as Prisma expects them.
  for (const [key, { model, field }] of schemaColumns) {
    const col = dbColumns.get(key)!;
    const want = { is_nullable: field.optional ? "YES" : "NO", ...expectedColumn(field, SCHEMA.enums) };
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, col[k as keyof DbColumn]]));
    expect(got, `${model}.${field.name} (${key})`).toEqual(want);
  }
  // Enum types carry the same values, in the same order.
  const labels = await sql.query<{ typname: string; label: string }>(
    `SELECT t.typname, e.enumlabel AS label
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
  );
  const dbEnums: Record<string, string[]> = {};
  for (const l of labels) (dbEnums[l.typname] ??= []).push(l.label);
  const clientEnums = Object.fromEntries(Object.entries($Enums).map(([name, values]) => [name, Object.values(values as Record<string, string>)]));
  expect(dbEnums, `enum types in the database (${JSON.stringify(dbEnums)}) vs the client's $Enums`).toEqual(clientEnums);
}

describe("schema drift guard", () => {
  it("reads schema.prisma the way the generated client does (same models, same scalar fields)", () => {
    // If this fails after editing schema.prisma, the generated client is stale: run `npm run generate`.
    expect(SCHEMA.models.map((m) => m.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    const namespace = Prisma as unknown as Record<string, Record<string, string> | undefined>;
    for (const m of SCHEMA.models) {
      const scalars = namespace[`${m.name}ScalarFieldEnum`];
      expect(scalars, `Prisma.${m.name}ScalarFieldEnum`).toBeDefined();
      expect(m.fields.map((f) => f.name).sort(), m.name).toEqual(Object.keys(scalars!).sort());
    }
    expect([...SCHEMA.enums].sort()).toEqual(Object.keys($Enums).sort());
  });

  it("every model has its table and every field its column (and nothing more), with matching types, on PostgreSQL", async () => {
    const [database] = await emptyPostgres();
    await migrate(database!.sql);
    await expectSchemaMatchesDatabase(database!.sql);
  });

  it("notices drift: a column the schema lacks, a missing column, a changed type or nullability", async () => {
    const [database] = await emptyPostgres();
    await migrate(database!.sql);
    const drifts = [
      ["ALTER TABLE campaigns ADD COLUMN notes text", "ALTER TABLE campaigns DROP COLUMN notes", "campaigns.notes"],
      ["ALTER TABLE members DROP COLUMN locale", "ALTER TABLE members ADD COLUMN locale text", "members.locale"],
      ["ALTER TABLE creators ALTER COLUMN number TYPE bigint", "ALTER TABLE creators ALTER COLUMN number TYPE integer", "Creator.number"],
      ["ALTER TABLE identities ALTER COLUMN label SET NOT NULL", "ALTER TABLE identities ALTER COLUMN label DROP NOT NULL", "Identity.label"],
      ["ALTER TYPE \"Objective\" ADD VALUE 'reach'", null, "reach"],
    ] as const;
    for (const [change, undo, named] of drifts) {
      await database!.sql.exec(change);
      await expect(expectSchemaMatchesDatabase(database!.sql), change).rejects.toThrow(named);
      if (undo) await database!.sql.exec(undo);
    }
  });
});

describe("seedDemo", () => {
  it("is idempotent: a second run creates nothing and leaves changed rows as they are", async () => {
    const env = await createTestDatabase();
    cleanups.push(() => env.drop());
    const db = env.database.db;
    const deps = { clock: systemClock, ids: randomIds };

    expect(await seedDemo(db, deps, "demo")).toEqual({ created: true });
    const counts = async () => ({
      workspaces: await db.workspace.count(),
      members: await db.member.count(),
      identities: await db.identity.count(),
      creators: await db.creator.count(),
      handles: await db.creatorHandle.count(),
      campaigns: await db.campaign.count(),
      counters: await db.workspaceCounter.count(),
    });
    const after1 = await counts();
    expect(after1).toMatchObject({ workspaces: 1, members: 5, creators: 4, campaigns: 1 });

    // Someone works in the demo workspace between runs.
    const workspace = await db.workspace.findUniqueOrThrow({ where: { slug: "demo" } });
    await db.campaign.update({ where: { workspaceId_number: { workspaceId: workspace.id, number: 1 } }, data: { name: "Renamed Glow", status: "completed" } });
    await db.member.updateMany({ where: { workspaceId: workspace.id, displayName: "Dev Patel" }, data: { role: "manager" } });

    expect(await seedDemo(db, deps, "demo")).toEqual({ created: false });
    expect(await counts()).toEqual(after1);
    expect(await db.workspace.findMany({ where: { slug: "demo" } })).toHaveLength(1);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { workspaceId_number: { workspaceId: workspace.id, number: 1 } } });
    expect(campaign).toMatchObject({ name: "Renamed Glow", status: "completed" });
    expect((await db.member.findFirstOrThrow({ where: { workspaceId: workspace.id, displayName: "Dev Patel" } })).role).toBe("manager");
    // The counters still point past the seeded rows, so the next campaign is #2.
    expect(await db.workspaceCounter.findUnique({ where: { workspaceId_name: { workspaceId: workspace.id, name: "campaign" } } })).toMatchObject({ value: 1 });
  });

  it("two processes seeding the same database at once both succeed, with one demo workspace", async () => {
    const env = await createTestDatabase();
    cleanups.push(() => env.drop());
    const deps = { clock: systemClock, ids: randomIds };
    // Two `scripts/dev` started together against one DATABASE_URL: each has its own client.
    const other = await connectDatabase({ url: env.url, dataDir: "", poolSize: 2 });
    cleanups.push(() => other.close());
    const results = await Promise.allSettled([seedDemo(env.database.db, deps, "demo"), seedDemo(other.db, deps, "demo")]);
    expect(results.map((r) => r.status), String(results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "")).join(" "))).toEqual(["fulfilled", "fulfilled"]);
    const created = results.map((r) => (r.status === "fulfilled" ? r.value.created : null)).sort();
    expect(created).toEqual([false, true]);
    expect(await env.database.db.workspace.count({ where: { slug: "demo" } })).toBe(1);
  });
});
