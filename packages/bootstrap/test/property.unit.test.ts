// Property tests: whatever a user-influenced field holds, either render() refuses it (naming the
// field) or the output has exactly the structure of a render with placeholder values. Only the
// literal values differ, and bash reads each of them back unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BootstrapInputError,
  type CloudBootstrapInput,
  type LocalInstallInput,
  type RenderResult,
  render,
  renderLocalInstall,
} from "../src/index.ts";
import {
  bashSyntaxErrors,
  bashValues,
  cloudConfigParts,
  ED25519_KEY,
  parseValuesBlock,
  sshKey,
  VALID_CLOUD,
  VALID_LOCAL,
} from "./helpers.ts";

const RUNS = Number(process.env.BOOTSTRAP_FC_RUNS ?? 300);

// Text that tries to break out of a shell literal, a YAML block or a line.
const NASTY = [
  "'",
  "'\"'\"'",
  '"',
  "`id`",
  "$(reboot)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text under test
  "${IFS}",
  "$HOME",
  ";",
  "&&",
  "|",
  "\\",
  "\n",
  "\r",
  "\r\n",
  "\u2028",
  "\u0000",
  "\t",
  " ",
  "#",
  ": ",
  "- ",
  "|\n",
  "@@VALUES@@",
  "CLAWCLOUD_FILE",
  "\nCC_X='1'\n",
  "'; rm -rf / #",
  "é",
  "😀",
];
const nasty = fc.constantFrom(...NASTY);
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 6 })), { maxLength: 8 }).map((parts) => parts.join("")),
);
/** Valid text for a field with nasty text spliced in somewhere. */
const spliced = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, anyText, fc.nat()).map(([v, junk, at]) => {
    const i = at % (v.length + 1);
    return `${v.slice(0, i)}${junk}${v.slice(i)}`;
  });

// Every character a URL may hold here, shell metacharacters included ($ ( ) ; & * …): valid, and
// dangerous if it were ever interpolated raw.
const URL_OK = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?[]@!$&()*+,;=%";
const URL_BAD = "'\"`\\ {}|^<>#\n";
const urlPath = fc.string({ unit: fc.constantFrom(...URL_OK), maxLength: 40 }).map((p) => p.replaceAll("?", ""));
const junkPath = fc.string({ unit: fc.constantFrom(...URL_OK, ...URL_BAD), maxLength: 40 });
const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.(example|test)$/);
const httpsUrl = fc.tuple(host, urlPath).map(([h, p]) => `https://${h}/${p}`);
const anyUrl = fc
  .tuple(fc.constantFrom("https", "http", "ftp", "file", "javascript"), host, junkPath)
  .map(([s, h, p]) => `${s}://${h}/${p}`);
const printableComment = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 60,
});
const validKey = fc
  .tuple(fc.constantFrom("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"), fc.integer({ min: 1, max: 300 }), fc.option(printableComment))
  .map(([type, bytes, comment]) => sshKey(type, bytes, comment ?? undefined));
const cidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`),
  fc.ipV4(),
);

/** Per field: generators of valid values, plain junk, and valid values with junk spliced in. */
const CLOUD_FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  instanceId: fc.oneof(fc.stringMatching(/^ins_[0-9a-z]{26}$/), spliced(fc.constant(VALID_CLOUD.instanceId)), anyText),
  serverUrl: fc.oneof(httpsUrl, anyUrl, spliced(fc.constant("https://claw.example.com/")), anyText),
  registrationToken: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43,128}$/), spliced(fc.constant(VALID_CLOUD.registrationToken)), anyText),
  agentBundleUrl: fc.oneof(httpsUrl, anyUrl, spliced(fc.constant("https://claw.example.com/a.js?sig=1")), anyText),
  agentBundleSha256: fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{64}$/), spliced(fc.constant("a".repeat(64))), anyText),
  openclawVersion: fc.oneof(
    fc.stringMatching(/^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]{1,10})?$/),
    spliced(fc.constant("2026.9.6")),
    anyText,
  ),
  nodeVersion: fc.oneof(fc.stringMatching(/^24\.(1[6-9]|[2-9]\d)\.\d{1,2}$/), spliced(fc.constant("24.21.0")), anyText),
  nodeTarballSha256: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), spliced(fc.constant("b".repeat(64))), anyText),
  swapMb: fc.oneof(fc.integer({ min: 0, max: 16384 }), fc.integer(), fc.double(), anyText),
  userSshPublicKey: fc.oneof(validKey, spliced(fc.constant(ED25519_KEY)), anyText),
  sshAllowFrom: fc.array(fc.oneof(cidr, spliced(fc.constant("203.0.113.0/24")), anyText), { maxLength: 4 }),
  mirrors: fc.record(
    { nodeDistUrl: fc.oneof(httpsUrl, anyUrl, anyText), npmRegistry: fc.oneof(httpsUrl, anyUrl, anyText) },
    { requiredKeys: [] },
  ),
};

const LOCAL_FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  serverUrl: fc.oneof(anyUrl, spliced(fc.constant("http://127.0.0.1:3000/")), anyText),
  installDir: fc.oneof(
    fc.string({ unit: fc.constantFrom(..."abcXYZ019 ._@+,=~/-é'\"$`\\:;\n"), maxLength: 30 }).map((s) => `/${s}`),
    spliced(fc.constant("/var/tmp/claw")),
    anyText,
  ),
  nodePath: fc.oneof(spliced(fc.constant("/opt/node/bin/node")), anyText),
  npmCliPath: fc.oneof(spliced(fc.constant("/usr/lib/npm/bin/npm-cli.js")), anyText),
  npmCacheDir: fc.oneof(spliced(fc.constant("/home/me/.npm")), anyText),
  gatewayPort: fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.integer(), anyText),
  registrationToken: CLOUD_FIELDS.registrationToken as fc.Arbitrary<unknown>,
  agentBundleUrl: CLOUD_FIELDS.agentBundleUrl as fc.Arbitrary<unknown>,
};

/** One to three fields of a valid input replaced by generated values. */
const mutations = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .subarray(Object.keys(fields), { minLength: 1, maxLength: 3 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, fields[k] as fc.Arbitrary<unknown>]))));

function refusedNamingFields(err: unknown, changed: string[]): void {
  expect(err).toBeInstanceOf(BootstrapInputError);
  const issues = (err as BootstrapInputError).issues;
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    // Every complaint is about a field we changed (or a rule across changed fields).
    expect(changed.some((f) => issue.field === f || issue.field.startsWith(`${f}.`))).toBe(true);
    expect((err as Error).message).toContain(`${issue.field}: `);
  }
}

const REFERENCE = render({ ...VALID_CLOUD, userSshPublicKey: ED25519_KEY });
const REFERENCE_PARTS = cloudConfigParts(REFERENCE.userData);
const REFERENCE_NAMES = parseValuesBlock(REFERENCE.values).names;

function assertCloudStructure(r: RenderResult, checkBash: boolean): void {
  const parts = cloudConfigParts(r.userData);
  // Same YAML structure: same keys, same files, same modes, same command.
  expect(Object.keys(parts.doc)).toEqual(Object.keys(REFERENCE_PARTS.doc));
  expect(parts.files.map((f) => [f.path, f.permissions, f.encoding])).toEqual(
    REFERENCE_PARTS.files.map((f) => [f.path, f.permissions, f.encoding]),
  );
  expect(parts.doc.runcmd).toEqual(REFERENCE_PARTS.doc.runcmd);
  expect(parts.doc.users).toEqual(REFERENCE_PARTS.doc.users);
  // The script and the sshd drop-in are byte for byte the static ones.
  expect(parts.script).toBe(REFERENCE_PARTS.script);
  expect(parts.sshd).toBe(REFERENCE_PARTS.sshd);
  // The user-data outside the values block is the reference's, line for line.
  const outside = (text: string, values: string) => text.replace(values.replace(/\n$/, "").split("\n").join("\n      "), "<values>");
  expect(outside(r.userData, r.values)).toBe(outside(REFERENCE.userData, REFERENCE.values));
  // The values file: the same assignments in the same order, each one quoted literal.
  expect(parts.values).toBe(r.values);
  const parsed = parseValuesBlock(r.values);
  expect(parsed.names).toEqual(REFERENCE_NAMES);
  if (checkBash) {
    expect(bashSyntaxErrors(r.values)).toBe("");
    expect(bashValues(r.values, parsed.names)).toEqual(parsed.values);
  }
}

describe("render() with arbitrary field values", () => {
  it("refuses (naming the field) or keeps the structure, and values read back as data", () => {
    let accepted = 0;
    let bashChecks = 0;
    fc.assert(
      fc.property(mutations(CLOUD_FIELDS), (changes) => {
        const input = { ...VALID_CLOUD, userSshPublicKey: ED25519_KEY, ...changes } as CloudBootstrapInput;
        let r: RenderResult;
        try {
          r = render(input);
        } catch (err) {
          refusedNamingFields(err, Object.keys(changes));
          return;
        }
        accepted += 1;
        const checkBash = bashChecks < 40;
        if (checkBash) bashChecks += 1;
        assertCloudStructure(r, checkBash);
        // The accepted values are the given ones (normalized: URL trailing slash, hex case, key whitespace).
        const values = parseValuesBlock(r.values).values;
        if (typeof changes.registrationToken === "string") expect(values.get("CC_REGISTRATION_TOKEN")).toEqual([changes.registrationToken]);
        if (typeof changes.userSshPublicKey === "string")
          expect(values.get("CC_SSH_PUBLIC_KEY")).toEqual([changes.userSshPublicKey.trim()]);
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  }, 60_000);

  it("refuses any string field holding a control character, quote, backslash or whitespace where the field forbids it", () => {
    const stringFields = [
      "instanceId",
      "serverUrl",
      "registrationToken",
      "agentBundleUrl",
      "agentBundleSha256",
      "openclawVersion",
      "nodeVersion",
      "nodeTarballSha256",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...stringFields),
        fc.constantFrom("\n", "\r", "\u0000", "\u2028", "'", '"', "`", "\\", " ", "\t"),
        fc.nat(),
        (field, bad, at) => {
          const valid = String((VALID_CLOUD as unknown as Record<string, unknown>)[field]);
          const i = 1 + (at % valid.length);
          const value = `${valid.slice(0, i)}${bad}${valid.slice(i)}`;
          let err: unknown;
          try {
            render({ ...VALID_CLOUD, [field]: value });
          } catch (e) {
            err = e;
          }
          refusedNamingFields(err, [field]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("keeps every possible printable SSH key comment as data (quotes, $(…), backticks, ; and all)", () => {
    fc.assert(
      fc.property(printableComment, (comment) => {
        const key = sshKey("ssh-ed25519", 32, comment);
        const r = render({ ...VALID_CLOUD, userSshPublicKey: key });
        assertCloudStructure(r, true);
        expect(bashValues(r.values, ["CC_SSH_PUBLIC_KEY"]).get("CC_SSH_PUBLIC_KEY")).toEqual([key.trim()]);
      }),
      { numRuns: Math.min(RUNS, 50) },
    );
  }, 60_000);
});

describe("renderLocalInstall() with arbitrary field values", () => {
  const reference = renderLocalInstall(VALID_LOCAL).script;
  const valuesOf = (script: string) => script.slice(script.indexOf("\nCC_INSTANCE_ID=") + 1, script.indexOf("\nCC_PID="));
  const referenceValues = valuesOf(reference);
  const referenceNames = parseValuesBlock(referenceValues).names;

  it("refuses (naming the field) or keeps the script's structure", () => {
    let accepted = 0;
    let bashChecks = 0;
    fc.assert(
      fc.property(mutations(LOCAL_FIELDS), (changes) => {
        let script: string;
        try {
          script = renderLocalInstall({ ...VALID_LOCAL, ...changes } as LocalInstallInput).script;
        } catch (err) {
          refusedNamingFields(err, Object.keys(changes));
          return;
        }
        accepted += 1;
        const values = valuesOf(script);
        // Everything but the values block is the reference script, byte for byte.
        expect(script.replace(values, "<values>")).toBe(reference.replace(referenceValues, "<values>"));
        expect(values.split("\n")).toHaveLength(referenceValues.split("\n").length);
        const parsed = parseValuesBlock(values);
        expect(parsed.names).toEqual(referenceNames);
        if (bashChecks < 40) {
          bashChecks += 1;
          expect(bashSyntaxErrors(script)).toBe("");
          expect(bashValues(values, parsed.names)).toEqual(parsed.values);
        }
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  }, 60_000);
});
