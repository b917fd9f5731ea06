import { flagName, arg, optional, type ArgDef } from "./args.ts";
import { usageLine } from "./help.ts";
import type { CommandRegistry } from "./registry.ts";
import { defineCommand, type CommandDef } from "./types.ts";
import type { Translate } from "../i18n/t.ts";

function rolesText(c: CommandDef, t: Translate): string {
  return c.roles === "anyone" ? t("help.anyone") : c.roles.map((r) => t(`role.${r}`)).join(", ");
}

/** `help` and `help <command>`, generated from the declarations so they never drift. */
export function helpCommand(registry: () => CommandRegistry) {
  return defineCommand({
    name: "help",
    summary: "help.summary",
    roles: "anyone",
    examples: ["help", "help campaign create"],
    args: { command: optional(arg.text({ positional: true, help: "help.arg.command", example: "campaign create" })) },
    async handler(ctx, a) {
      const { t } = ctx;
      if (a.command) {
        const c = registry().get(a.command) ?? registry().resolve([{ type: "word", value: a.command, quoted: false }]).command;
        const args = (Object.entries(c.args) as [string, ArgDef][]).map(([k, d]) => {
          const label = d.positional ? `<${flagName(k)}>` : `--${flagName(k)}`;
          return `- \`${label}\` ${t(d.help)}${d.required ? "" : ` ${t("help.optional")}`} — ${t("help.eg")} \`${d.example}\``;
        });
        return {
          title: c.name,
          text: [t(c.summary), "", `\`${usageLine(c)}\``, ...(args.length ? ["", ...args] : []), "", `**${t("help.examples")}**`, ...c.examples.map((e) => `- \`${e}\``), "", `${t("help.who")}: ${rolesText(c, t)}`].join("\n"),
          ephemeral: true,
        };
      }
      const mine = registry()
        .list()
        .filter((c) => c.roles === "anyone" || (ctx.actor !== null && c.roles.includes(ctx.actor.role)));
      return {
        title: t("help.title"),
        table: { columns: [t("help.command"), t("help.what")], rows: mine.map((c) => [c.name, t(c.summary)]) },
        text: t(ctx.actor ? "help.footer" : "help.footer_stranger"),
        ephemeral: true,
      };
    },
  });
}
