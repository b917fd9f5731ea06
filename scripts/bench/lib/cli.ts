import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * A benchmark's command line: its flags parsed (a bad one prints the usage and
 * exits 2), --help answered, a log to stderr under the benchmark's name, and
 * the check every count flag takes.
 */
export function benchCli<O extends NonNullable<ParseArgsConfig["options"]>>(name: string, usage: string, options: O) {
  const log = (line: string) => process.stderr.write(`${name}: ${line}\n`);
  const fail = (message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean" } } });
  } catch (err) {
    fail(`${(err as Error).message}\n${usage}`);
  }
  const flags = parsed!.values as { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string } & { help?: boolean };
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const positive = (v: string | undefined, fallback: number, what: string): number => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) fail(`--${what} must be a whole number of at least 1, e.g. --${what} 10`);
    return n;
  };
  return { flags, log, fail, positive };
}
