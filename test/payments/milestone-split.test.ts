/** How an agreed fee becomes milestones: 30 / 40 / 30, due at the start, midpoint and end, always summing to the fee. */
import { describe, expect, it } from "vitest";
import { MILESTONE_PLAN, midpoint, splitFee } from "../../core/invitations/contract.ts";

const dates = { startsOn: new Date("2026-07-01T00:00:00Z"), endsOn: new Date("2026-07-31T00:00:00Z") };
const today = new Date("2026-06-15T00:00:00Z");
const amounts = (fee: number) => splitFee(fee, dates, today).map((m) => m.amountMinor);

describe("splitFee", () => {
  it("is advance 30 % at the start, milestone 40 % at the midpoint, final 30 % at the end", () => {
    expect(MILESTONE_PLAN.map((p) => p.share).reduce((a, b) => a + b)).toBe(100);
    expect(splitFee(30000, dates, today).map((m) => [m.kind, m.amountMinor, m.dueOn.toISOString().slice(0, 10)])).toEqual([
      ["advance", 9000, "2026-07-01"],
      ["milestone", 12000, "2026-07-16"],
      ["final", 9000, "2026-07-31"],
    ]);
  });

  it("sums exactly for awkward fees, the final part taking the rounding (hand-computed)", () => {
    // $333.33: ⌊9999.9⌋, ⌊13333.2⌋, and what is left.
    expect(amounts(33333)).toEqual([9999, 13333, 10001]);
    // ¥1001 (no minor digits): ⌊300.3⌋, ⌊400.4⌋, 301.
    expect(amounts(1001)).toEqual([300, 400, 301]);
    expect(amounts(1)).toEqual([0, 0, 1]);
    expect(amounts(7)).toEqual([2, 2, 3]);
    expect(amounts(99)).toEqual([29, 39, 31]);
    for (const fee of [0, 1, 2, 3, 10, 101, 33333, 99999, 123457, 1001, Number.MAX_SAFE_INTEGER]) {
      const parts = amounts(fee);
      expect(parts.reduce((a, b) => a + b), String(fee)).toBe(fee);
      expect(parts.every((p) => Number.isSafeInteger(p) && p >= 0)).toBe(true);
    }
    // Exact even where fee × share would pass 2^53.
    expect(amounts(Number.MAX_SAFE_INTEGER)).toEqual([2702159776422297, 3602879701896396, 2702159776422298]);
  });

  it("puts the midpoint on the middle day, and a date already past on today", () => {
    expect(midpoint(new Date("2026-07-01Z"), new Date("2026-07-02Z")).toISOString().slice(0, 10)).toBe("2026-07-01");
    expect(midpoint(new Date("2026-02-01Z"), new Date("2026-02-28Z")).toISOString().slice(0, 10)).toBe("2026-02-14");
    const late = splitFee(1000, dates, new Date("2026-07-20T00:00:00Z"));
    expect(late.map((m) => m.dueOn.toISOString().slice(0, 10))).toEqual(["2026-07-20", "2026-07-20", "2026-07-31"]);
  });
});
