/** Where the suite finds its services; scripts/test sets these (defaults match this machine's services). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const REDIS_SERVER_BIN = process.env.TEST_REDIS_SERVER_BIN ?? "redis-server";

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
