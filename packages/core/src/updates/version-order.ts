// OpenClaw versions are dates (2026.9.6, 2026.10.1-beta.2): compare numerically, a prerelease
// before its release.
export function compareVersions(a: string, b: string): number {
  const [av, ap] = split(a);
  const [bv, bp] = split(b);
  for (let i = 0; i < 3; i++) if ((av[i] ?? 0) !== (bv[i] ?? 0)) return (av[i] ?? 0) - (bv[i] ?? 0);
  if (ap === bp) return 0;
  if (!ap) return 1;
  if (!bp) return -1;
  return ap < bp ? -1 : 1;
}

function split(v: string): [number[], string] {
  const dash = v.indexOf("-");
  const main = dash < 0 ? v : v.slice(0, dash);
  return [main.split(".").map((n) => Number.parseInt(n, 10) || 0), dash < 0 ? "" : v.slice(dash + 1)];
}
