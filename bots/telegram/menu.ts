import type { BotCommand } from "telegraf/types";
import type { CommandRegistry } from "../../core/commands/registry.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import { TELEGRAM_LIMITS } from "./limits.ts";

/**
 * The command menu Telegram shows when someone types "/": one entry per first
 * word of the registry's commands (`/campaign` covers create, list, show …),
 * described in the menu's language. Built from the registry, so a new
 * command appears at the next start.
 */
export function menuCommands(registry: CommandRegistry, locale: Locale): BotCommand[] {
  const heads = new Map<string, string[]>();
  for (const def of registry.list()) {
    const [head, sub] = def.name.split(" ") as [string, string | undefined];
    heads.set(head, [...(heads.get(head) ?? []), ...(sub ? [sub] : [])]);
  }
  return [...heads].slice(0, TELEGRAM_LIMITS.menuCommands).map(([head, subs]) => {
    const description = subs.length ? subs.join(" · ") : t(locale, registry.get(head)!.summary);
    return { command: head, description: description.slice(0, TELEGRAM_LIMITS.commandDescription) };
  });
}
