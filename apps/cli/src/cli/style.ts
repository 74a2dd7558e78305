// Colours only where a person reads them: on a TTY whose terminal has colours. Node's
// hasColors() already answers "no" for NO_COLOR, NODE_DISABLE_COLORS and TERM=dumb.

export interface Style {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const plain = (s: string) => s;
const sgr = (on: number, off: number) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;

export function styleFor(stream: NodeJS.WritableStream & { isTTY?: boolean }): Style {
  const tty = stream as { isTTY?: boolean; hasColors?: () => boolean };
  const on = tty.isTTY === true && tty.hasColors?.() === true;
  return on
    ? {
        red: sgr(31, 39),
        green: sgr(32, 39),
        yellow: sgr(33, 39),
        bold: sgr(1, 22),
        dim: sgr(2, 22),
      }
    : { red: plain, green: plain, yellow: plain, bold: plain, dim: plain };
}
