/** How long `fn` took, logged as `what: N s`. */
export async function timed(log: (line: string) => void, what: string, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  log(`${what}: ${(ms / 1000).toFixed(2)} s`);
  return ms;
}

/** Median and nearest-rank p99 of `runs` timings of fn, after `warm` untimed ones. */
export async function measure(fn: () => Promise<void>, runs: number, warm: number): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < warm; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor((ms.length - 1) / 2)]!, p99: ms[Math.ceil(ms.length * 0.99) - 1]! };
}
