import { UsageError } from "../../core/errors.ts";

/** The UsageError fn throws; fails the test when it throws nothing or something else. */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error("expected a UsageError, but nothing was thrown");
}
