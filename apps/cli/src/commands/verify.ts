// tsnpu verify: every golden conformance vector on every backend, a table, exit 1 on any mismatch.
import { EXIT_FAILED, EXIT_OK } from "../cli/errors.js";
import type { CommandRun } from "../cli/spec.js";
import { socsFrom } from "../socs.js";
import { formatTable } from "../table.js";
import { type CheckResult, vectorGroups } from "../verify/checks.js";
import { verifyTargets } from "../verify/targets.js";

interface TargetReport {
  readonly backend: string;
  /** Why the backend could not run here, or null. */
  readonly skipped: string | null;
  readonly groups: Record<string, CheckResult[]>;
}

const failures = (r: TargetReport) =>
  Object.entries(r.groups).flatMap(([group, checks]) =>
    checks.filter((c) => c.failure !== null).map((c) => ({ group, ...c })),
  );

export const run: CommandRun = async ({ values }, io) => {
  const targets = verifyTargets(socsFrom(values.soc)).filter(
    (t) => values.device === undefined || t.kind === values.device,
  );
  const reports: TargetReport[] = [];
  for (const [i, t] of targets.entries()) {
    io.progress(i, targets.length, t.label);
    const skipped = await t.setup();
    const groups: Record<string, CheckResult[]> = {};
    if (skipped === null) for (const g of vectorGroups) groups[g.name] = g.checks(t);
    t.teardown();
    reports.push({ backend: t.label, skipped, groups });
  }
  io.clearProgress();
  const failed = reports.flatMap((r) => failures(r).map((f) => ({ backend: r.backend, ...f })));
  if (values.json) {
    io.out(JSON.stringify({ ok: failed.length === 0, backends: reports }, null, 2));
    return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
  }
  const { green, red, yellow } = io.style;
  const cell = (checks: CheckResult[] | undefined) => {
    if (!checks) return "-";
    const passed = checks.filter((c) => c.failure === null).length;
    const refused = checks.filter((c) => c.refused).length;
    const text = `${passed}/${checks.length}${refused ? ` (${refused} refused)` : ""}`;
    return passed === checks.length ? text : red(text);
  };
  const rows = reports.map((r) => [
    r.backend,
    ...vectorGroups.map((g) => cell(r.groups[g.name])),
    r.skipped !== null
      ? yellow("skipped")
      : failures(r).length === 0
        ? green("ok")
        : red("MISMATCH"),
  ]);
  const lines = [formatTable(["backend", ...vectorGroups.map((g) => g.name), "result"], rows)];
  for (const r of reports.filter((r) => r.skipped !== null))
    lines.push(`${r.backend}: skipped: ${r.skipped}`);
  const SHOWN = 20;
  for (const f of failed.slice(0, SHOWN))
    lines.push(red(`${f.backend} ${f.group} ${f.name}: ${f.failure}`));
  if (failed.length > SHOWN) lines.push(`... and ${failed.length - SHOWN} more (--json lists all)`);
  lines.push(
    "",
    "(refused) = cases the product must refuse (its shape and axis rules), and did, with the expected message.",
    failed.length === 0
      ? "every vector matches bit for bit"
      : `${failed.length} check(s) differ from the golden vectors`,
  );
  io.out(lines.join("\n"));
  return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
};
