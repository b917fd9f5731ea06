import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, createServer, type AddressInfo } from "node:net";
import { REDIS_SERVER_BIN } from "./env.ts";

export async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** True when a Redis on port answers PING. */
export function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/** A private redis-server for this file, so stopping it never touches the shared one on 6379. */
export class PrivateRedis {
  process?: ChildProcess;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const child = spawn(REDIS_SERVER_BIN, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    this.process = child;
    const deadline = Date.now() + 5000;
    while (!(await pings(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer PING within 5 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  get running(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
}
