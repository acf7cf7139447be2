// "Remind me later" for an offered update, per user + instance + version, kept in this browser's
// localStorage for 7 days (another browser or device shows the offer again; nothing is stored on
// the server).
const KEY = "clawcloud:update-remind";
const SNOOZE_MS = 7 * 86_400_000;

type Store = Record<string, number>;

function read(): Store {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "{}") as unknown;
    return v && typeof v === "object" ? (v as Store) : {};
  } catch {
    return {};
  }
}

const keyOf = (userId: string, instanceId: string, version: string) => `${userId}:${instanceId}:${version}`;

export function isSnoozed(userId: string, instanceId: string, version: string, now = Date.now()): boolean {
  const until = read()[keyOf(userId, instanceId, version)];
  return typeof until === "number" && until > now;
}

export function snooze(userId: string, instanceId: string, version: string, now = Date.now()): void {
  const store = Object.fromEntries(Object.entries(read()).filter(([, until]) => until > now));
  store[keyOf(userId, instanceId, version)] = now + SNOOZE_MS;
  try {
    localStorage.setItem(KEY, JSON.stringify(store));
  } catch {
    // Private mode or full storage: the offer simply shows again.
  }
}
