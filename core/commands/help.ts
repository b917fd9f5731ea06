import { flagName, type ArgDef } from "./args.ts";
import type { CommandDef } from "./types.ts";

/** `campaign create <name> --budget <amount> [--objective <awareness|engagement|sales>]` */
export function usageLine(command: CommandDef): string {
  const parts = (Object.entries(command.args) as [string, ArgDef][]).map(([key, d]) => {
    const value = d.choices ? d.choices.join("|") : d.kind === "text" || d.kind === "ref" ? flagName(key) : d.kind;
    const part = d.positional ? `<${value === d.kind ? flagName(key) : value}>` : `--${flagName(key)} <${value}>`;
    return d.required ? part : `[${part}]`;
  });
  return [command.name, ...parts].join(" ");
}
