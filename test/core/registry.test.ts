import { describe, expect, it } from "vitest";
import { flagName, type ArgDef } from "../../core/commands/args.ts";
import { bindArgs } from "../../core/commands/bind.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { usageLine } from "../../core/commands/help.ts";
import { CommandRegistry } from "../../core/commands/registry.ts";
import { tokenize } from "../../core/commands/tokenize.ts";
import { defineCommand, type CommandContext, type CommandDef } from "../../core/commands/types.ts";
import { translator } from "../../core/i18n/t.ts";
import { usageError } from "../support/errors.ts";


const registry = createRegistry();
const resolve = (line: string) => registry.resolve(tokenize(line));
const commands = registry.list();
const names = (c: CommandDef) => [c.name, ...(c.aliases ?? [])];

describe("registry.resolve", () => {
  it.each([
    ["campaign create", "campaign create"],
    ["campaign list", "campaign list"],
    ["campaigns", "campaign list"],
    ["creators", "creators search"],
    ["creators search", "creators search"],
    ["workspace", "workspace show"],
    ["workspace create", "workspace create"],
    ["help", "help"],
    ["Campaign LIST", "campaign list"],
    ["CAMPAIGNS", "campaign list"],
    ["/campaign list", "campaign list"],
    ["/help", "help"],
    ["  campaign\u00a0 show   x", "campaign show"],
  ])("resolves %j to %s", (line, name) => {
    expect(resolve(line).command.name).toBe(name);
  });

  it("prefers the longest name and hands the remaining tokens on", () => {
    const { command, rest } = resolve('campaign create "Summer Launch" --budget 5');
    expect(command.name).toBe("campaign create");
    expect(rest).toEqual([
      { type: "word", value: "Summer Launch", quoted: true },
      { type: "flag", name: "budget", value: "5" },
    ]);
  });

  it("matches a two-word command before its one-word alias", () => {
    expect(resolve("creators search murugi").rest).toEqual([{ type: "word", value: "murugi", quoted: false }]);
    expect(resolve("creators murugi").command.name).toBe("creators search");
    expect(resolve("creators murugi").rest).toEqual([{ type: "word", value: "murugi", quoted: false }]);
  });

  it("keeps words after the command name as arguments", () => {
    const { command, rest } = resolve("help campaign create");
    expect(command.name).toBe("help");
    expect(rest.map((t) => (t.type === "word" ? t.value : t.type))).toEqual(["campaign", "create"]);
  });

  it("stops matching at a quoted word, a flag or a mention", () => {
    expect(resolve('campaign show "list"').command.name).toBe("campaign show");
    expect(resolve("campaigns --status active").rest).toEqual([{ type: "flag", name: "status", value: "active" }]);
    expect(usageError(() => resolve('campaign "create" X')).key).toBe("command.unknown_sub");
  });

  it.each([
    ["campain list", "campaign list"],
    ["campaing create", "campaign create"],
    ["hepl", "help"],
    ["lnik", "link"],
  ])("suggests the closest command for %j", (line, suggestion) => {
    const err = usageError(() => resolve(line));
    expect(err.key).toBe("command.unknown");
    expect(err.vars).toEqual({ typed: line, suggestion });
    expect(err.example).toBe(suggestion);
  });

  it.each([
    ["workspace creat Acme", "workspace create"],
    ["creators serch murugi", "creators search"],
  ])("a typo in a longer name is not read as an alias plus arguments: %j", (line, suggestion) => {
    const err = usageError(() => resolve(line));
    expect(err.key).toBe("command.unknown");
    expect(err.example).toBe(suggestion);
  });

  it("an alias followed by ordinary words still resolves to the alias", () => {
    expect(resolve("creators murugi").command.name).toBe("creators search");
  });

  it("names the group's commands for an unknown subcommand", () => {
    const err = usageError(() => resolve("campaign frobnicate --budget 5"));
    expect(err.key).toBe("command.unknown_sub");
    expect(err.vars.typed).toBe("campaign frobnicate");
    expect(err.vars.group).toBe("campaign");
    const options = String(err.vars.options).split(", ");
    expect(options).toEqual(expect.arrayContaining(["campaign create", "campaign list", "campaign show", "campaign approve", "campaign cancel"]));
    expect(options.every((o) => o.startsWith("campaign "))).toBe(true);
    expect(err.example).toMatch(/^campaign (create|list|show|submit|approve|reject|activate|complete|cancel)$/);
  });

  it("suggests the nearest subcommand of a group", () => {
    expect(usageError(() => resolve("campaign shwo X")).example).toBe("campaign show");
    expect(usageError(() => resolve("campaign aprove X")).example).toBe("campaign approve");
    expect(usageError(() => resolve("creator ad X")).example).toBe("creator add");
  });

  it("treats a bare group name as an unknown subcommand", () => {
    const err = usageError(() => resolve("campaign"));
    expect(err.key).toBe("command.unknown_sub");
    expect(err.vars.typed).toBe("campaign");
  });

  it.each(["", "   ", "--budget 5", '"campaign list"', "@ana"])("asks for a command when none is typed: %j", (line) => {
    const err = usageError(() => resolve(line));
    expect(err.key).toBe("command.empty");
    expect(err.example).toBe("help");
  });
});

describe("registry.get", () => {
  it.each([
    ["campaign create", "campaign create"],
    ["  Campaign   Create ", "campaign create"],
    ["campaigns", "campaign list"],
  ])("finds %j", (name, expected) => {
    expect(registry.get(name)?.name).toBe(expected);
  });

  it("returns undefined for an unknown name", () => {
    expect(registry.get("campaign")).toBeUndefined();
    expect(registry.get("nope")).toBeUndefined();
  });
});

describe("the command catalog", () => {
  it("declares the commands of the design", () => {
    const declared = commands.map((c) => c.name);
    expect(declared).toEqual(
      expect.arrayContaining(["help", "link", "workspace create", "workspace show", "member add", "creator add", "creator show", "creators search", "campaign create", "campaign list", "campaign show", "campaign submit", "campaign approve", "campaign reject", "campaign activate", "campaign complete", "campaign cancel"]),
    );
  });

  it("gives no two commands the same name or alias", () => {
    const all = commands.flatMap(names);
    expect(new Set(all).size).toBe(all.length);
  });

  it("refuses a registry where a name is declared twice", () => {
    const make = (name: string, aliases?: string[]) =>
      defineCommand({ name, aliases, summary: "help.summary", roles: "anyone", examples: [name], args: {}, handler: async () => ({ text: "" }) });
    expect(() => new CommandRegistry([make("probe"), make("probe")])).toThrow(/declared twice/);
    expect(() => new CommandRegistry([make("probe one", ["probe"]), make("probe")])).toThrow(/declared twice/);
  });

  it.each(commands.flatMap(names))("spells %j the way resolve can match it", (name) => {
    expect(name).toBe(name.toLowerCase());
    expect(name).toMatch(/^[a-z]+( [a-z]+){0,2}$/);
  });

  it.each(commands.map((c) => [c.name, c] as const))("%s has examples", (_name, c) => {
    expect(c.examples.length).toBeGreaterThan(0);
  });

  // Help shows these lines, and errors show the first one: each must run as typed.
  it.each(commands.flatMap((c) => c.examples.map((e) => [c.name, e] as const)))("%s: example %j parses and binds", (name, example) => {
    const { command, rest } = resolve(example);
    expect(command.name).toBe(name);
    expect(() => bindArgs(command, rest)).not.toThrow();
  });

  it.each(commands.flatMap((c) => (Object.entries(c.args) as [string, ArgDef][]).map(([k, d]) => [c.name, flagName(k), d] as const)))(
    "%s: the example of %s passes its own schema",
    (_name, _key, d) => {
      const typed = tokenize(d.example).map((t) => (t.type === "word" ? t.value : t.type === "mention" ? t.raw : t.name)).join(" ");
      expect(d.schema.safeParse(typed).success).toBe(true);
    },
  );
});

describe("usageLine", () => {
  it("spells campaign create's arguments", () => {
    expect(usageLine(registry.get("campaign create")!)).toBe(
      "campaign create <name> --budget <amount> [--currency <currency>] --start <date> --end <date> --objective <awareness|engagement|sales> [--url <url>]",
    );
  });

  it.each([
    ["help", "help [<command>]"],
    ["workspace show", "workspace show"],
    ["campaign show", "campaign show <campaign>"],
    ["campaign reject", "campaign reject <campaign> [--reason <reason>]"],
    ["member add", "member add <who> --role <owner|admin|manager|analyst|creator>"],
    ["campaign list", "campaign list [--status <draft|submitted|approved|rejected|active|completed|cancelled>]"],
  ])("spells %s", (name, line) => {
    expect(usageLine(registry.get(name)!)).toBe(line);
  });
});

describe("help <command>", () => {
  const ctx = { t: translator("en"), actor: null, locale: "en" } as unknown as CommandContext;
  const help = registry.get("help")!;

  it.each(commands.map((c) => [c.name, c] as const))("explains %s with its usage line and examples", async (name, c) => {
    const reply = await help.handler(ctx as never, bindArgs(help, tokenize(name)) as never);
    expect(reply.title).toBe(name);
    expect(reply.text).toContain(usageLine(c));
    for (const example of c.examples) expect(reply.text).toContain(`- \`${example}\``);
  });

  it("explains a command named by its alias", async () => {
    const reply = await help.handler(ctx as never, bindArgs(help, tokenize("campaigns")) as never);
    expect(reply.title).toBe("campaign list");
  });
});
