import {
  ApplicationCommandOptionType as Opt,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandSubcommandOption,
  type APIInteractionDataResolved,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { flagName, type ArgDef } from "../../core/commands/args.ts";
import type { CommandRegistry } from "../../core/commands/registry.ts";
import type { CommandDef } from "../../core/commands/types.ts";
import { t } from "../../core/i18n/t.ts";
import type { MessageKey } from "../../core/i18n/t.ts";
import { DISCORD_LIMITS } from "./limits.ts";

/** Everything lives under one slash command, as `/clout` on Slack. */
export const ROOT_COMMAND = "clout";

/** Where the last one-word commands go once /clout has more than Discord's 25 subcommands and groups: `/clout more report`. */
export const OVERFLOW_GROUP = "more";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Discord shows descriptions in the user's client language; ours are English with a Brazilian Portuguese localisation. */
function described(key: MessageKey) {
  return {
    description: clip(t("en", key), DISCORD_LIMITS.descriptionChars),
    description_localizations: { "pt-BR": clip(t("pt", key), DISCORD_LIMITS.descriptionChars) },
  };
}

/** How each argument kind is typed on Discord: numbers and people natively, references with autocomplete, the rest as text the core parses. */
function option(key: string, a: ArgDef): APIApplicationCommandBasicOption {
  const base = { name: flagName(key), ...described(a.help), required: a.required };
  switch (a.kind) {
    case "integer":
      return { ...base, type: Opt.Integer };
    case "member":
      return { ...base, type: Opt.User };
    case "ref":
      return { ...base, type: Opt.String, autocomplete: true };
    case "choice":
      return a.choices && a.choices.length <= DISCORD_LIMITS.choices
        ? { ...base, type: Opt.String, choices: a.choices.map((c) => ({ name: c, value: c })) }
        : { ...base, type: Opt.String };
    case "country":
      return { ...base, type: Opt.String, min_length: 2, max_length: 2 };
    case "currency":
      return { ...base, type: Opt.String, min_length: 3, max_length: 3 };
    default:
      return { ...base, type: Opt.String };
  }
}

function subcommand(name: string, def: CommandDef): APIApplicationCommandSubcommandOption {
  const args = Object.entries(def.args) as [string, ArgDef][];
  // Discord requires every required option before any optional one; the text line below puts them back in the declared order.
  const ordered = [...args.filter(([, a]) => a.required), ...args.filter(([, a]) => !a.required)];
  return { type: Opt.Subcommand, name, ...described(def.summary), options: ordered.map(([k, a]) => option(k, a)) };
}

/**
 * `/clout` built from the registry: a one-word command is a subcommand
 * (`/clout help`), a two-word one a subcommand of its group (`/clout campaign
 * create`). Nothing is declared twice, so a new command shows up on Discord at
 * the next `npm run discord:register`.
 */
export function applicationCommands(registry: CommandRegistry): RESTPutAPIApplicationCommandsJSONBody {
  const groups = new Map<string, APIApplicationCommandSubcommandOption[]>();
  const singles: APIApplicationCommandSubcommandOption[] = [];
  for (const def of registry.list()) {
    const [head, sub] = def.name.split(" ") as [string, string | undefined];
    if (!sub) singles.push(subcommand(head, def));
    else groups.set(head, [...(groups.get(head) ?? []), subcommand(sub, def)]);
  }
  const group = (name: string, subs: APIApplicationCommandSubcommandOption[]) => ({
    type: Opt.SubcommandGroup as const,
    name,
    description: clip(`${name}: ${subs.map((s) => s.name).join(" · ")}`, DISCORD_LIMITS.descriptionChars),
    options: subs,
  });
  const grouped = [...groups].map(([name, subs]) => group(name, subs));
  const room = DISCORD_LIMITS.options - grouped.length;
  const kept = singles.length > room ? singles.slice(0, room - 1) : singles;
  const overflow = singles.slice(kept.length);
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: ROOT_COMMAND,
      description: clip(t("en", "discord.root"), DISCORD_LIMITS.descriptionChars),
      description_localizations: { "pt-BR": clip(t("pt", "discord.root"), DISCORD_LIMITS.descriptionChars) },
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      options: [...kept, ...grouped, ...(overflow.length ? [group(OVERFLOW_GROUP, overflow)] : [])],
    },
  ];
}

/** The command's words and its leaf options, from the nested subcommand group / subcommand options Discord sends. */
export function invokedPath(options: APIApplicationCommandInteractionDataOption[] = []): { words: string[]; leaves: APIApplicationCommandInteractionDataOption[] } {
  const first = options[0];
  if (first?.type === Opt.SubcommandGroup) {
    const sub = first.options[0];
    if (first.name === OVERFLOW_GROUP) return { words: sub ? [sub.name] : [], leaves: sub?.options ?? [] };
    return { words: [first.name, ...(sub ? [sub.name] : [])], leaves: sub?.options ?? [] };
  }
  if (first?.type === Opt.Subcommand) return { words: [first.name], leaves: first.options ?? [] };
  return { words: [], leaves: options };
}

/** A value as one token of the text grammar, whatever it holds. */
export const quoted = (value: string) => `"${value.replace(/[\\"]/g, "\\$&")}"`;

/** The person a user option picked, as mention markup carrying their server name (what member add records). */
function mention(id: string, resolved?: APIInteractionDataResolved): string {
  const user = resolved?.users?.[id];
  const name = resolved?.members?.[id]?.nick ?? user?.global_name ?? user?.username;
  const clean = name?.replace(/[|<>]/g, "").trim();
  return clean ? `<@${id}|${clean}>` : `<@${id}>`;
}

/**
 * The interaction as a line of the text grammar, so Discord runs exactly
 * what the console runs: positional arguments in their declared order, then
 * --flags, every value quoted.
 */
export function commandLine(registry: CommandRegistry, options: APIApplicationCommandInteractionDataOption[] | undefined, resolved?: APIInteractionDataResolved): string {
  const { words, leaves } = invokedPath(options);
  const def = registry.get(words.join(" "));
  if (!def) return words.join(" ") || "help";
  const given = new Map(leaves.flatMap((o) => ("value" in o ? [[o.name, o] as const] : [])));
  const parts = [def.name];
  const flags: string[] = [];
  for (const [key, a] of Object.entries(def.args) as [string, ArgDef][]) {
    const o = given.get(flagName(key));
    if (!o) continue;
    const value = o.type === Opt.User ? mention(String(o.value), resolved) : String(o.value);
    if (a.positional) parts.push(quoted(value));
    else flags.push(`--${flagName(key)} ${quoted(value)}`);
  }
  return [...parts, ...flags].join(" ");
}
