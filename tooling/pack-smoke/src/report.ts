// The result table: one row per check with ok/FAIL and its time; failures' output below it.
// Sections may run concurrently; each keeps its rows in the order its checks started.

interface Row {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly detail: string;
}

export class Section {
  readonly rows: Row[] = [];

  constructor(readonly title: string) {}

  /** Runs one check; a thrown error makes its row red. Returns the check's value, or undefined on failure. */
  async check<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const slot = this.rows.length;
    this.rows.push({ name, ok: false, seconds: 0, detail: "did not finish" });
    const start = performance.now();
    const finish = (ok: boolean, detail: string) => {
      this.rows[slot] = { name, ok, seconds: (performance.now() - start) / 1000, detail };
    };
    try {
      const value = await fn();
      finish(true, "");
      return value;
    } catch (error) {
      finish(false, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}

export class Report {
  private readonly sections: Section[] = [];

  section(title: string): Section {
    const section = new Section(title);
    this.sections.push(section);
    return section;
  }

  private get rows(): Row[] {
    return this.sections.flatMap((section) => section.rows);
  }

  get failed(): number {
    return this.rows.filter((row) => !row.ok).length;
  }

  print(totalSeconds: number): void {
    const width = Math.max(
      ...this.rows.map((row) => row.name.length),
      ...this.sections.map((s) => s.title.length),
    );
    const line = (name: string, result: string, time: string) =>
      `${name.padEnd(width)}  ${result.padEnd(6)}  ${time.padStart(8)}`;
    console.log(line("check", "result", "time"));
    for (const section of this.sections) {
      console.log(line(`-- ${section.title} `.padEnd(width, "-"), "------", "--------"));
      for (const row of section.rows)
        console.log(line(row.name, row.ok ? "ok" : "FAIL", `${row.seconds.toFixed(1)} s`));
    }
    console.log(line("-".repeat(width), "------", "--------"));
    console.log(
      line("total (wall clock)", this.failed === 0 ? "ok" : "FAIL", `${totalSeconds.toFixed(1)} s`),
    );
    for (const row of this.rows.filter((r) => !r.ok))
      console.log(`\n--- FAIL: ${row.name}\n${row.detail}`);
  }
}
