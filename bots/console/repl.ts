import { createInterface } from "node:readline/promises";
import { renderReply } from "./render.ts";
import type { ConsoleSession } from "./session.ts";

/** The interactive prompt, like Hubot's shell: type commands as you would in Slack. */
export async function startRepl(session: ConsoleSession, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const rl = createInterface({ input, output, terminal: (output as NodeJS.WriteStream).isTTY ?? false });
  const prompt = `${session.actor.displayName.split(" ")[0]!.toLowerCase()}@${session.actor.workspace.name}> `;
  output.write(`Clout console — you are ${session.actor.displayName} (${session.actor.role}) in ${session.actor.workspace.name}. Type \`help\`, or \`exit\`.\n`);
  try {
    for (;;) {
      const line = (await rl.question(prompt)).trim();
      if (line === "exit" || line === "quit") break;
      if (!line) continue;
      const result = await session.run(line);
      output.write(`${renderReply(result.reply)}\n\n`);
    }
  } catch (err) {
    // Ctrl-D / closed stdin ends the session like `exit`.
    if ((err as { code?: string }).code !== "ABORT_ERR" && (err as Error).message !== "readline was closed") throw err;
  } finally {
    rl.close();
  }
}

/** Runs a file's commands one per line (blank lines and # comments skipped); false if any line failed. */
export async function runScript(session: ConsoleSession, text: string, write: (s: string) => void, settle: () => Promise<unknown>): Promise<boolean> {
  let ok = true;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    write(`> ${line}\n`);
    const result = await session.run(line);
    write(`${renderReply(result.reply)}\n\n`);
    // Let the notifications this line caused print before the next line runs, so output reads in order.
    await settle();
    ok &&= result.ok;
  }
  return ok;
}
