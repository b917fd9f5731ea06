/** "2026-07-01 09:00 UTC": how a moment is shown to people — in UTC, to the minute. */
export const utcMinute = (d: Date): string => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
