import type { REST } from "@discordjs/rest";
import { Routes, type RESTPutAPIApplicationCommandsResult } from "discord-api-types/v10";
import type { CommandRegistry } from "../../core/commands/registry.ts";
import { applicationCommands } from "./commands.ts";

/**
 * Bulk-overwrites the application's commands with the registry's `/clout`:
 * globally (Discord shows changes within the hour), or in one server at once
 * with `guildId` (for trying changes out).
 */
export async function registerCommands(rest: REST, applicationId: string, registry: CommandRegistry, guildId?: string): Promise<RESTPutAPIApplicationCommandsResult> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  return (await rest.put(route, { body: applicationCommands(registry) })) as RESTPutAPIApplicationCommandsResult;
}
