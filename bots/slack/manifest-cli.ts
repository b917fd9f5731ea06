/** `npm run slack:manifest`: prints bots/slack/manifest.yaml with PUBLIC_URL filled in, ready to paste into Slack. */
import { readFileSync } from "node:fs";

const publicUrl = process.env.PUBLIC_URL?.replace(/\/+$/, "");
if (!publicUrl) {
  process.stderr.write("Set PUBLIC_URL to the https address Slack can reach, e.g. PUBLIC_URL=https://clout.example.com npm run slack:manifest\n");
  process.exit(2);
}
process.stdout.write(readFileSync(new URL("./manifest.yaml", import.meta.url), "utf8").replaceAll("https://clout.example.com", publicUrl));
