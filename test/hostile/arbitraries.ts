/**
 * fast-check generators for what a person can put into Slack: slash-command text as Slack escapes
 * it (`should_escape: true`: `&<>` arrive as entities, mentions and emails as `<…>` tokens), and
 * raw modal input, which Slack passes through unescaped. Each mixes the ordinary with the hostile:
 * mrkdwn and special mentions, links, control and bidi characters, injection strings, huge input.
 */
import fc from "fast-check";

/** Tokens a person can make Slack put into command text, or type into a field. */
const SLACK_TOKENS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0SECURITY|@security>",
  "<@U0OPERATE1|sec>",
  "<@U0NOBODY99>",
  "<@W0ENTERPR1|ent>",
  "<#C0APPROVAL|access-approvals>",
  "<https://evil.example/login|Renew your badge>",
  "<mailto:amelia.hart@harbourside.example|amelia.hart@harbourside.example>",
  "<mailto:nobody@nowhere.example|nobody@nowhere.example>",
  "<mailto:|>",
  "<@>",
  "<>",
] as const;

/** People the sandbox and the tests know, so that look-ups also find someone. */
const KNOWN_EMAILS = [
  "amelia.hart@harbourside.example",
  "Sam.Lee@harbourside.example",
  "<mailto:oliver.bennett@harbourside.example|oliver.bennett@harbourside.example>",
  "cmd.target@spark.example",
  "<@U0REQUEST1|rosa>",
] as const;

const NASTY = [
  "",
  " ",
  "\t\n\r",
  "\u0000",
  "\u202e\u2066evil",
  "\u200b\u200d",
  "🏳️‍🌈👩🏽‍🔧",
  "Ŝtraße İstanbul ǅ",
  "'; DROP TABLE access_requests; --",
  '" OR 1=1 --',
  "../../etc/passwd",
  "%00%0a",
  "${process.exit(1)}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  '{"personId":1,"name":"x"}',
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x1F",
  "*bold* _it_ ~st~ `code` ```block```",
  "&amp;&lt;&gt;",
  "a".repeat(3001),
  "é".repeat(5000),
] as const;

const nasty = fc.constantFrom(...NASTY);
const token = fc.constantFrom(...SLACK_TOKENS);

/** Any text at all, weighted towards the nasty cases. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: token },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(nasty, token, fc.string({ maxLength: 8 })), { maxLength: 5 })
      .map((parts) => parts.join(" ")),
  },
);

/** What Slack does to typed text in a command with `should_escape: true`. */
const slackEscaped = (typed: string) =>
  typed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Words the commands know, in any case. */
const word = (words: string[]) =>
  fc.tuple(fc.constantFrom(...words), fc.boolean()).map(([w, upper]) => (upper ? w.toUpperCase() : w));

/** Command text: a (possibly known) sub-command and arguments, as Slack delivers it, or anything at all. */
export function commandText(subcommands: string[]): fc.Arbitrary<string> {
  const argument = fc.oneof(
    { weight: 1, arbitrary: token },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 3, arbitrary: fc.constantFrom(...KNOWN_EMAILS) },
    { weight: 1, arbitrary: anyText.map(slackEscaped) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("help", "bulk", "list", "status", "extend", "audit", "visitor", "new"),
    },
  );
  const line = fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: word(subcommands) },
        { weight: 3, arbitrary: argument },
        { weight: 1, arbitrary: anyText.map(slackEscaped) },
      ),
      fc.array(argument, { maxLength: 3 }),
      fc.constantFrom(" ", "  ", "\n", "\t"),
    )
    .map(([w, args, sep]) => [w, ...args].join(sep));
  return fc.oneof({ weight: 6, arbitrary: line }, { weight: 1, arbitrary: anyText });
}

/** A calendar day as a datepicker sends it, or something else in its place. */
export function dayText(validDays: fc.Arbitrary<string>): fc.Arbitrary<string | null> {
  return fc.oneof(
    { weight: 4, arbitrary: validDays },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "2024-02-30",
        "2025-13-01",
        "0000-00-00",
        "9999-12-31",
        "1970-01-01",
        "2030-1-1",
        "20300101",
        "2030-01-01T00:00:00Z",
        " 2030-01-01",
      ),
    },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: anyText },
  );
}

/** Option values a select can carry: the real ones, mostly, and forged or stale ones. */
export function optionValues(real: string[]): fc.Arbitrary<string[]> {
  const one = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.constantFrom("0", "-1", "1.5", "99999999999999999999", "5123abc", " 5123") },
    { weight: 1, arbitrary: anyText },
  );
  return fc.array(one, { maxLength: 4 });
}
