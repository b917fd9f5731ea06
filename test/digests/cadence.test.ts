/** When schedules fire: 09:00 on the workspace's wall clock, daily or on Mondays, across daylight-saving changes. */
import { describe, expect, it } from "vitest";
import { nextRunAt, periodBefore } from "../../core/digests/cadence.ts";

const next = (cadence: "daily" | "weekly", hour: number, zone: string, after: string) => nextRunAt(cadence, hour, zone, new Date(after)).toISOString();

describe("nextRunAt", () => {
  it("fires at the hour in the zone, strictly after now", () => {
    expect(next("daily", 9, "Africa/Nairobi", "2026-07-08T05:59:00Z")).toBe("2026-07-08T06:00:00.000Z");
    expect(next("daily", 9, "Africa/Nairobi", "2026-07-08T06:00:00Z")).toBe("2026-07-09T06:00:00.000Z");
    expect(next("daily", 0, "UTC", "2026-12-31T23:30:00Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("fires weekly on Mondays", () => {
    // Wednesday 8 July in São Paulo (UTC−3): next Monday 13 July, 09:00 local.
    expect(next("weekly", 9, "America/Sao_Paulo", "2026-07-08T06:00:00Z")).toBe("2026-07-13T12:00:00.000Z");
    expect(next("weekly", 9, "UTC", "2026-07-13T09:00:00Z")).toBe("2026-07-20T09:00:00.000Z");
  });

  it("keeps the wall-clock hour across daylight saving, and a skipped hour lands just after the jump", () => {
    // Lisbon moves from UTC+0 to UTC+1 on 29 March 2026.
    expect(next("daily", 9, "Europe/Lisbon", "2026-03-28T12:00:00Z")).toBe("2026-03-29T08:00:00.000Z");
    expect(next("daily", 9, "Europe/Lisbon", "2026-03-27T12:00:00Z")).toBe("2026-03-28T09:00:00.000Z");
    // 02:00 does not exist in New York on 8 March 2026: 03:00 EDT instead.
    expect(next("daily", 2, "America/New_York", "2026-03-08T00:00:00Z")).toBe("2026-03-08T07:00:00.000Z");
  });

  it("reports on the day or the week that ended at the run", () => {
    const at = new Date("2026-07-13T06:00:00Z");
    expect(periodBefore("daily", at)).toEqual({ from: new Date("2026-07-12T06:00:00Z"), to: at });
    expect(periodBefore("weekly", at)).toEqual({ from: new Date("2026-07-06T06:00:00Z"), to: at });
  });
});
