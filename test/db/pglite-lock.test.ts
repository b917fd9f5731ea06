/**
 * The pid file that keeps a second process off an embedded PGlite folder.
 * Two real processes racing for a data dir are hard to time, so the lock is
 * exercised directly with real pids: one of a live child, one of a child that
 * has exited.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DatabaseBusyError, lockDataDir } from "../../db/pglite-lock.ts";

const tmp = mkdtempSync(join(tmpdir(), "clout-lock-"));
const lockFile = join(tmp, "pglite.lock");
const children: ChildProcess[] = [];

afterEach(() => rmSync(lockFile, { force: true }));
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
});

/** A process that stays alive until the test kills it. */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  children.push(child);
  return child;
}

/** The pid of a process that has run and exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise<void>((done, fail) => {
    child.on("error", fail);
    child.on("exit", () => done());
  });
  expect(child.pid).toBeTypeOf("number");
  return child.pid!;
}

describe("lockDataDir", () => {
  it("claims a free folder with this process's pid, and the release removes the file", () => {
    const release = lockDataDir(lockFile);
    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("refuses a folder held by a live process, naming the pid and DATABASE_URL, and leaves its lock alone", () => {
    const holder = liveProcess();
    writeFileSync(lockFile, String(holder.pid));
    let error: unknown;
    try {
      lockDataDir(lockFile);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseBusyError);
    const message = (error as Error).message;
    expect(message).toContain(`pid ${holder.pid}`);
    expect(message).toContain("DATABASE_URL");
    expect(readFileSync(lockFile, "utf8")).toBe(String(holder.pid));
    holder.kill("SIGKILL");
  });

  it("takes over a lock whose process is gone", async () => {
    const pid = await deadPid();
    writeFileSync(lockFile, String(pid));
    const release = lockDataDir(lockFile);
    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("takes over an empty or garbled lock file (a crash between creating and writing it)", () => {
    for (const content of ["", "not a pid\n"]) {
      writeFileSync(lockFile, content);
      const release = lockDataDir(lockFile);
      expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
      release();
    }
    expect(existsSync(lockFile)).toBe(false);
  });

  it("is released by the holder only once it exits: a live holder blocks, the same pid dead is taken over", async () => {
    const holder = liveProcess();
    writeFileSync(lockFile, String(holder.pid));
    expect(() => lockDataDir(lockFile)).toThrow(DatabaseBusyError);
    const exited = new Promise<void>((done) => holder.on("exit", () => done()));
    holder.kill("SIGKILL");
    await exited;
    const release = lockDataDir(lockFile);
    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
  });
});
