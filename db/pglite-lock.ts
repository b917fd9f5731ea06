import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

export class DatabaseBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder
 * would corrupt it. A pid file claims the folder; a stale one (its process gone)
 * is taken over.
 */
export function lockDataDir(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(lockFile, "utf8"));
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DatabaseBusyError(`another Clout process (pid ${pid}) is using the embedded database; stop it, or set DATABASE_URL to share a PostgreSQL`);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseBusyError(`could not claim ${lockFile}`);
}
