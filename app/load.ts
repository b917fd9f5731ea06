import { performance } from "node:perf_hooks";

/** How busy this process's one thread is, as the share of recent time it spent running code (event loop utilization). */
export interface LoadGauge {
  busy(): boolean;
  stop(): void;
}

/**
 * Samples event loop utilization every `intervalMs`. Past `threshold`, work
 * that could be answered inline is better queued: every ms spent on it delays
 * every acknowledgement behind it.
 */
export function eventLoopGauge(threshold = 0.5, intervalMs = 100): LoadGauge {
  let last = performance.eventLoopUtilization();
  let utilization = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
  }, intervalMs).unref();
  return { busy: () => utilization > threshold, stop: () => clearInterval(timer) };
}
