// Where a command writes: results to stdout, progress and errors to stderr. Progress is drawn
// only on a TTY (a redirected stderr gets nothing), on one line rewritten in place.
import { type Style, styleFor } from "./style.js";

export class Io {
  readonly style: Style;
  readonly errStyle: Style;
  private progressShown = false;

  constructor(
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.style = styleFor(stdout);
    this.errStyle = styleFor(stderr);
  }

  out(text: string): void {
    this.clearProgress();
    this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  err(text: string): void {
    this.clearProgress();
    this.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** A bar and `label`, e.g. progress(3, 10, "cpu 1x64x56x56"); nothing when stderr is not a TTY. */
  progress(done: number, total: number, label: string): void {
    if (!this.stderr.isTTY) return;
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
    const columns = this.stderr.columns ?? 80;
    this.stderr.write(`\r\x1b[2K${`${bar} ${label}`.slice(0, columns - 1)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.stderr.write("\r\x1b[2K");
    this.progressShown = false;
  }
}
