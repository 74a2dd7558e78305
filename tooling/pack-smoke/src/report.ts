// The result table: one row per check with ok/FAIL and its time; failures' output below it.

interface Row {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly detail: string;
}

export class Report {
  private readonly rows: Row[] = [];

  /** Runs one check; a thrown error makes its row red. Returns the check's value, or undefined on failure. */
  async check<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const start = performance.now();
    try {
      const value = await fn();
      this.rows.push({ name, ok: true, seconds: (performance.now() - start) / 1000, detail: "" });
      return value;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.rows.push({ name, ok: false, seconds: (performance.now() - start) / 1000, detail });
      return undefined;
    }
  }

  /** A check that could not run because an earlier one failed. */
  notRun(name: string, reason: string): void {
    this.rows.push({ name, ok: false, seconds: 0, detail: `not run: ${reason}` });
  }

  get failed(): number {
    return this.rows.filter((row) => !row.ok).length;
  }

  print(totalSeconds: number): void {
    const width = Math.max(...this.rows.map((row) => row.name.length), "check".length);
    const line = (name: string, result: string, time: string) => `${name.padEnd(width)}  ${result.padEnd(6)}  ${time.padStart(8)}`;
    console.log(line("check", "result", "time"));
    console.log(line("-".repeat(width), "------", "--------"));
    for (const row of this.rows) console.log(line(row.name, row.ok ? "ok" : "FAIL", `${row.seconds.toFixed(1)} s`));
    console.log(line("total", this.failed === 0 ? "ok" : "FAIL", `${totalSeconds.toFixed(1)} s`));
    for (const row of this.rows.filter((r) => !r.ok)) {
      console.log(`\n--- FAIL: ${row.name}\n${row.detail}`);
    }
  }
}
