/**
 * A one-line progress bar on stderr (stdout carries the results). Redrawn at most every 100 ms;
 * without a TTY it prints a plain line per scenario step instead of control characters.
 */
export class ProgressBar {
  readonly #total: number;
  readonly #width = 30;
  readonly #tty = process.stderr.isTTY === true;
  #lastDraw = 0;
  #lastLabel = '';

  constructor(totalScenarios: number) {
    this.#total = totalScenarios;
  }

  /** `index` of the running scenario (0-based), its own progress 0..1. */
  update(index: number, name: string, fraction: number, label = ''): void {
    const now = Date.now();
    const text = label ? `${name}: ${label}` : name;
    if (!this.#tty) {
      if (text !== this.#lastLabel) process.stderr.write(`[${index + 1}/${this.#total}] ${text}\n`);
      this.#lastLabel = text;
      return;
    }
    if (now - this.#lastDraw < 100 && fraction < 1) return;
    this.#lastDraw = now;
    const overall = Math.min(1, (index + Math.min(1, Math.max(0, fraction))) / this.#total);
    const filled = Math.round(overall * this.#width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(this.#width - filled)}`;
    process.stderr.write(
      `\r\x1b[2K[${bar}] ${(overall * 100).toFixed(0).padStart(3)}% ${text}`.slice(0, 160),
    );
  }

  done(): void {
    if (this.#tty) process.stderr.write('\r\x1b[2K');
  }
}
