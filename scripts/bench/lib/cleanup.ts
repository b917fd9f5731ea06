/**
 * A benchmark's clean-up steps (test databases, Redis keys, child
 * processes), run newest first, once, whatever happens — also on Ctrl-C,
 * which reaches a benchmark more than once (directly, and relayed by the tsx
 * CLI): the first signal cleans up, the rest are ignored.
 */
export function cleanupOnExit(log: (line: string) => void) {
  const steps: { name: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step.run();
        } catch (err) {
          log(`clean-up: ${step.name} failed: ${(err as Error).message}`);
        }
      }
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (cleaning) return;
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return { add: (name: string, run: () => Promise<unknown>) => void steps.push({ name, run }), cleanup };
}
