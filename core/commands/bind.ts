import { closest } from "fastest-levenshtein";
import { UsageError } from "../errors.ts";
import { en, type MessageKey } from "../i18n/en.ts";
import { flagName, type ArgDef, type ArgsSpec, type ArgValues } from "./args.ts";
import type { Token } from "./tokenize.ts";
import type { CommandDef } from "./types.ts";
import { usageLine } from "./help.ts";

const raw = (tok: Token): string => (tok.type === "word" ? tok.value : tok.type === "mention" ? tok.raw : `--${tok.name}`);

/** Matches tokens to a command's arguments and validates each through its schema. */
export function bindArgs<S extends ArgsSpec>(command: CommandDef<S>, tokens: Token[]): ArgValues<S> {
  const example = command.examples[0] ?? usageLine(command);
  const entries = Object.entries(command.args) as [string, ArgDef][];
  const positionals = entries.filter(([, d]) => d.positional);
  const flags = new Map(entries.filter(([, d]) => !d.positional).map(([k, d]) => [flagName(k), [k, d] as const]));

  const given = new Map<string, string>();
  const words: Token[] = [];
  for (const tok of tokens) {
    if (tok.type !== "flag") {
      words.push(tok);
      continue;
    }
    const entry = flags.get(tok.name);
    if (!entry) {
      const names = [...flags.keys()];
      if (names.length === 0) throw new UsageError("arg.no_flags", { flag: tok.name, command: command.name }, example);
      throw new UsageError("arg.unknown_flag", { flag: tok.name, command: command.name, suggestion: closest(tok.name, names), options: names.map((n) => `--${n}`).join(", ") }, example);
    }
    const [key] = entry;
    if (given.has(key)) throw new UsageError("arg.duplicate_flag", { flag: tok.name }, example);
    if (tok.value === undefined || tok.value.trim() === "") throw new UsageError("arg.flag_needs_value", { flag: tok.name, example: entry[1].example }, example);
    given.set(key, tok.value);
  }

  words.forEach((tok, i) => {
    const slot = positionals[i];
    const last = positionals[positionals.length - 1];
    if (slot) {
      given.set(slot[0], raw(tok));
    } else if (last && (last[1].kind === "text" || last[1].kind === "ref")) {
      // Unquoted multi-word names: `campaign show Summer Launch` means "Summer Launch".
      given.set(last[0], `${given.get(last[0])} ${raw(tok)}`);
    } else {
      throw new UsageError("arg.unexpected", { value: raw(tok), command: command.name }, example);
    }
  });

  const out: Record<string, unknown> = {};
  for (const [key, d] of entries) {
    const value = given.get(key);
    const label = d.positional ? `<${flagName(key)}>` : `--${flagName(key)}`;
    if (value === undefined) {
      if (d.required) throw new UsageError("arg.missing", { arg: label, example: d.example }, example);
      out[key] = undefined;
      continue;
    }
    const parsed = d.schema.safeParse(value);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "";
      const reason: MessageKey = message in en ? (message as MessageKey) : "arg.invalid";
      throw new UsageError(reason, { arg: label, value, example: d.example, choices: d.choices?.join(", ") ?? "" }, example);
    }
    out[key] = parsed.data;
  }
  return out as ArgValues<S>;
}
