import { afterEach, describe, expect, it } from "vitest";
import { recordAudit } from "../../src/db/repositories/audit.js";
import { csvField, exportAudit } from "../../src/domain/audit-export.js";
import { createTestDatabase } from "../helpers/db.js";

let t: ReturnType<typeof createTestDatabase> | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

function seed(db: Parameters<typeof recordAudit>[0]): void {
  recordAudit(db, {
    at: new Date("2027-01-01T10:00:00Z"),
    actor: "U1",
    action: "request.created",
    outcome: "ok",
    subjectEmail: "old@x.example",
    subjectName: "Old One",
    details: null,
  });
  recordAudit(db, {
    at: new Date("2027-03-14T07:00:00Z"),
    actor: "U2",
    action: "request.approved",
    outcome: "ok",
    requestId: "gh_1",
    subjectEmail: "ann@x.example",
    subjectName: 'Ann "Quote", Jr',
    details: { note: "line\nbreak" },
  });
  recordAudit(db, {
    at: new Date("2027-03-15T09:00:00Z"),
    actor: "job",
    action: "offboard.failed",
    outcome: "failed",
    doorflowPersonId: 7,
    subjectEmail: "ann@x.example",
    subjectName: "=HYPERLINK(evil)",
    details: { error: "503" },
  });
}

describe("audit export", () => {
  it("writes CSV since a day, quoting what needs it and defusing formulas", async () => {
    t = createTestDatabase();
    seed(t.db);
    const lines: string[] = [];
    const n = exportAudit(t.db, { since: new Date("2027-03-01T00:00:00Z"), format: "csv" }, (l) =>
      lines.push(l),
    );
    expect(n).toBe(2);
    expect(lines[0]).toBe(
      "id,at,actor,action,outcome,subject_name,subject_email,doorflow_person_id,request_id,details",
    );
    expect(lines[1]).toContain('"Ann ""Quote"", Jr"');
    expect(lines[1]).toContain('"{""note"":""line\\nbreak""}"');
    expect(lines[2]).toContain("'=HYPERLINK(evil)");
    expect(lines.join("\n")).not.toContain("old@x.example");
  });

  it("writes JSON lines, one parseable event per line", async () => {
    t = createTestDatabase();
    seed(t.db);
    const lines: string[] = [];
    exportAudit(t.db, { since: new Date("2026-12-31T00:00:00Z"), format: "jsonl" }, (l) => lines.push(l));
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.action)).toEqual(["request.created", "request.approved", "offboard.failed"]);
    expect(events[1]).toMatchObject({ at: "2027-03-14T07:00:00.000Z", request_id: "gh_1", outcome: "ok" });
  });

  it("quotes CSV fields only when needed", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField("a,b")).toBe('"a,b"');
  });

  it("guards every cell a spreadsheet would read as a formula, a leading TAB or CR included", () => {
    // =, +, -, @, and TAB, CR or NUL, which some spreadsheets skip before looking for the sign.
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=cmd|' /C calc'!A0")).toBe("'\t=cmd|' /C calc'!A0");
    expect(csvField("\r=1+1")).toBe(`"'\r=1+1"`);
    expect(csvField("\0=1+1")).toBe("'\0=1+1");
    expect(csvField(-1)).toBe("-1");
  });
});
