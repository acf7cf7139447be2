/** Only same-site paths are allowed as a post-sign-in destination (no open redirect). */
export function safeNext(value: string | null | undefined, fallback = "/instances"): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (value.startsWith("/sign-in") || value.startsWith("/sign-up")) return fallback;
  return value;
}
