import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";

/** Debian's chromium package puts it here; CHROMIUM_PATH names another. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** No usable Chromium: the app turns this into its one-line configuration error. */
export class ChromiumMissingError extends Error {
  override name = "ChromiumMissingError";
}

/**
 * The Chromium whatsapp-web.js will drive. Puppeteer's own browser download is
 * off on every install (.puppeteerrc.cjs), so without this the client would
 * fail much later, deep inside puppeteer, with nothing naming the fix.
 */
export function chromiumPath(configured: string | undefined): string {
  const path = configured ?? DEFAULT_CHROMIUM;
  const setting = configured ? `CHROMIUM_PATH (${path})` : path;
  let problem: string | undefined;
  try {
    if (!statSync(path).isFile()) problem = "is not a file";
    else accessSync(path, constants.X_OK);
  } catch (err) {
    problem = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "is not executable";
  }
  if (problem) {
    throw new ChromiumMissingError(
      `${setting} ${problem}: WHATSAPP_TRANSPORT=web drives the system Chromium; install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable`,
    );
  }
  return path;
}

/**
 * Headless, and quiet on the network: no component updates or background
 * fetches, only WhatsApp Web. --no-sandbox because containers (and root in
 * them) have no user namespaces for Chromium's sandbox.
 */
export function puppeteerOptions(executablePath: string) {
  return {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  };
}

/** The paired session (LocalAuth) and WhatsApp Web's cached version, both under DATA_DIR so a restart needs no new QR scan. */
export function sessionPaths(dataDir: string) {
  const root = join(dataDir, "whatsapp-web");
  return { auth: root, webCache: join(root, "web-cache") };
}
