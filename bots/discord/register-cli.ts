/** `npm run discord:register [-- --guild ID]`: puts `/clout` on Discord, built from the command registry. */
import { REST } from "@discordjs/rest";
import { parseArgs } from "node:util";
import { createRegistry } from "../../core/commands/catalog.ts";
import { registerCommands } from "./register.ts";

const USAGE = "usage: npm run discord:register [-- --guild SERVER_ID]\n  needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (DISCORD_API_URL optional)";

function fail(message: string): never {
  process.stderr.write(`discord:register: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let guild: string | undefined;
try {
  guild = parseArgs({ options: { guild: { type: "string" } } }).values.guild;
} catch (err) {
  fail((err as Error).message);
}
if (guild !== undefined && !/^\d{17,20}$/.test(guild)) fail(`--guild takes a server id (17–20 digits, "Copy Server ID" in Discord), got "${guild}"`);
const { DISCORD_APPLICATION_ID: app, DISCORD_BOT_TOKEN: token, DISCORD_API_URL: api } = process.env;
if (!app || !token) fail("DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN must be set");

// No sweeper timers: this process registers once and exits.
const rest = new REST({ version: "10", hashSweepInterval: 0, handlerSweepInterval: 0, ...(api ? { api } : {}) }).setToken(token);
try {
  const commands = await registerCommands(rest, app, createRegistry(), guild);
  const subs = commands.flatMap((c) => c.options ?? []).flatMap((o) => ("options" in o && o.type === 2 ? (o.options ?? []) : [o]));
  process.stdout.write(`Registered /${commands.map((c) => c.name).join(", /")} with ${subs.length} subcommands ${guild ? `in server ${guild}` : "globally (Discord may take up to an hour to show them everywhere)"}.\n`);
} catch (err) {
  fail(`Discord refused the commands: ${(err as Error).message}`);
}
