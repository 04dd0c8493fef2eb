/**
 * Generators of "New contractor" and "New visitor" submissions: a form a person could validly send
 * (with hostile but acceptable text: "<!channel>" is a name like any other), with up to three of
 * its fields replaced by something invalid, forged, mistyped or missing. Roughly a third pass.
 */
import fc from "fast-check";
import { addDays } from "../../src/lib/time.js";
import { FIELD, type FieldName } from "../../src/slack/ids.js";
import { anyText, dayText, optionValues } from "./arbitraries.js";

export type State = Record<string, unknown>;
export type Form = Partial<Record<FieldName, State | undefined>>;

const GROUPS = ["5121", "5122", "5123", "5124", "5125", "5126", "5127"];
const DOORS = Array.from({ length: 12 }, (_, i) => String(1340 + i));

const input = (value: string | null): State => ({ type: "plain_text_input", value });
const date = (selected_date: string | null): State => ({ type: "datepicker", selected_date });
const options = (vs: string[]): State => ({
  type: "multi_static_select",
  selected_options: vs.map((value) => ({ value, text: { type: "plain_text", text: "x" } })),
});
const radio = (value: string): State => ({
  type: "radio_buttons",
  selected_option: { value, text: { type: "plain_text", text: value } },
});

/** Text a person may type, within `max` characters, hostile or not. */
const typed = (max: number) =>
  fc.oneof(
    fc.constantFrom(
      "Kit",
      "Ana María",
      "O'Brien",
      "<!channel>",
      "<https://evil.example|Spark>",
      "李",
      "*Bold*",
    ),
    anyText.filter((t) => t.trim() !== "" && t.trim().length <= max),
  );
const email = fc.oneof(
  fc.integer({ min: 1, max: 1e9 }).map((n) => `hostile.${n}@spark.example`),
  fc.integer({ min: 1, max: 1e9 }).map((n) => `  Mixed.${n}@Spark.Example `),
);

/** Something in place of a field that no valid form has: wrong, forged, mistyped or absent. */
const broken = (
  kind: "text" | "date" | "options" | "radio",
  known: string[],
): fc.Arbitrary<State | undefined> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<State>(input(null), { type: "plain_text_input", value: 42 }, { type: 7 }),
    },
    {
      weight: 4,
      arbitrary:
        kind === "text"
          ? fc
              .oneof(
                anyText,
                fc.constantFrom("", "   ", "x".repeat(1001), "a@b", "<mailto:x@y.example|x@y.example>"),
              )
              .map(input)
          : kind === "date"
            ? dayText(fc.integer({ min: -400, max: -1 }).map((n) => addDays("2026-01-01", n))).map(date)
            : kind === "options"
              ? optionValues(known).map(options)
              : anyText.map(radio),
    },
  );

/** The valid form, then `names` of its fields broken. */
function withBroken(
  valid: fc.Arbitrary<Form>,
  kinds: Partial<Record<FieldName, Parameters<typeof broken>[0]>>,
  known: string[],
) {
  const names = Object.keys(kinds) as FieldName[];
  const replacements = fc.record(
    Object.fromEntries(names.map((n) => [n, broken(kinds[n] ?? "text", known)])),
  );
  return fc.tuple(valid, fc.subarray(names, { maxLength: 3 }), replacements).map(([form, chosen, bad]) => {
    const out: Form = { ...form };
    for (const name of chosen) out[name] = bad[name];
    return { form: out, broken: chosen };
  });
}

export function contractorForms(today: string) {
  const valid = fc
    .record({
      firstName: typed(80),
      lastName: typed(80),
      email,
      company: typed(120),
      groups: fc.subarray(GROUPS, { minLength: 1 }),
      startIn: fc.integer({ min: 0, max: 30 }),
      length: fc.integer({ min: 0, max: 183 }),
      card: fc.option(fc.stringMatching(/^\d{1,20}$/), { nil: null }),
      notes: fc.option(typed(1000), { nil: null }),
    })
    .map((v): Form => ({
      firstName: input(v.firstName),
      lastName: input(v.lastName),
      email: input(v.email),
      company: input(v.company),
      accessGroups: options(v.groups),
      startDate: date(addDays(today, v.startIn)),
      endDate: date(addDays(today, v.startIn + v.length)),
      credential: radio(v.card ? "card" : "mobile"),
      cardNumber: input(v.card),
      notes: input(v.notes),
    }));
  return withBroken(
    valid,
    {
      firstName: "text",
      lastName: "text",
      email: "text",
      company: "text",
      accessGroups: "options",
      startDate: "date",
      endDate: "date",
      credential: "radio",
      cardNumber: "text",
    },
    GROUPS,
  );
}

export function visitorForms(today: string) {
  const valid = fc
    .record({
      firstName: typed(80),
      lastName: typed(80),
      email: fc.option(email, { nil: null }),
      company: typed(120),
      doors: fc.subarray(DOORS, { minLength: 1 }),
      visitIn: fc.integer({ min: 0, max: 60 }),
    })
    .map((v): Form => ({
      firstName: input(v.firstName),
      lastName: input(v.lastName),
      email: input(v.email),
      company: input(v.company),
      doors: options(v.doors),
      visitDate: date(addDays(today, v.visitIn)),
    }));
  return withBroken(
    valid,
    {
      firstName: "text",
      lastName: "text",
      email: "text",
      company: "text",
      doors: "options",
      visitDate: "date",
    },
    DOORS,
  );
}

/** Slack's `view.state.values` for a form. */
export function stateValues(form: Form): Record<string, Record<string, State>> {
  const out: Record<string, Record<string, State>> = {};
  for (const [name, state] of Object.entries(form)) {
    if (state === undefined) continue;
    const f = FIELD[name as FieldName];
    out[f.block] = { [f.action]: state };
  }
  return out;
}
