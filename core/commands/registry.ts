import { closest, distance } from "fastest-levenshtein";
import { UsageError } from "../errors.ts";
import type { Token } from "./tokenize.ts";
import type { CommandDef } from "./types.ts";

export interface Resolved {
  command: CommandDef;
  rest: Token[];
}

/** All declared commands, and the lookup from what was typed to one of them. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDef>();

  constructor(commands: CommandDef<any>[]) {
    for (const c of commands) {
      for (const name of [c.name, ...(c.aliases ?? [])]) {
        if (this.byName.has(name)) throw new Error(`command "${name}" is declared twice`);
        this.byName.set(name, c as CommandDef);
      }
    }
  }

  list(): CommandDef[] {
    return [...new Set(this.byName.values())];
  }

  get(name: string): CommandDef | undefined {
    return this.byName.get(name.toLowerCase().trim().replace(/\s+/g, " "));
  }

  /** Longest declared name that the leading bare words spell, so "campaign create" wins over "campaign". */
  resolve(tokens: Token[]): Resolved {
    const words: string[] = [];
    for (const tok of tokens) {
      if (tok.type !== "word" || tok.quoted) break;
      words.push(tok.value.toLowerCase().replace(/^\//, ""));
    }
    for (let n = Math.min(words.length, 3); n > 0; n--) {
      const command = this.byName.get(words.slice(0, n).join(" "));
      if (!command) continue;
      // "workspace creat" would match the "workspace" alias; a near miss of a longer name is a typo, not an argument.
      const longer = words.slice(0, n + 1).join(" ");
      const near = n < words.length ? [...this.byName.keys()].find((k) => k.split(" ").length === n + 1 && k !== longer && distance(k, longer) <= 2) : undefined;
      if (near && !this.byName.has(longer)) throw new UsageError("command.unknown", { typed: longer, suggestion: near }, near);
      return { command, rest: tokens.slice(n) };
    }
    throw this.unknown(words);
  }

  private unknown(words: string[]): UsageError {
    if (words.length === 0) return new UsageError("command.empty", {}, "help");
    const typed = words.slice(0, 2).join(" ");
    const group = [...this.byName.keys()].filter((n) => n.startsWith(`${words[0]} `));
    if (group.length > 0) {
      const sub = closest(words[1] ?? "", group.map((n) => n.slice(words[0]!.length + 1)));
      return new UsageError("command.unknown_sub", { typed, group: words[0]!, options: group.join(", ") }, `${words[0]} ${sub}`);
    }
    const names = [...this.byName.keys()];
    const best = closest(typed, names);
    const first = closest(words[0]!, names);
    const suggestion = distance(typed, best) <= distance(words[0]!, first) ? best : first;
    // Only a near miss is worth suggesting; "foo bar" is not a typo of anything.
    if (Math.min(distance(typed, best), distance(words[0]!, first)) > Math.max(2, words[0]!.length / 2)) {
      return new UsageError("command.unknown_far", { typed }, "help");
    }
    return new UsageError("command.unknown", { typed, suggestion }, suggestion);
  }
}
