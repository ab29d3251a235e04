// Shows how far an import is: a redrawn bar on a terminal, a plain line every 10% when
// stderr is a file or a CI log (a bar there would be thousands of lines).
import type { ImportProgress } from './customerEventImport.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

function seconds(value: number): string {
  if (!Number.isFinite(value)) return '?';
  const whole = Math.max(0, Math.round(value));
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s` : `${whole} s`;
}

export function progressReporter(stream: ProgressStream, now: () => number = Date.now) {
  const started = now();
  let lastTenth = 0;
  let drawn = false;
  const describe = ({ rows, bytesRead, totalBytes }: ImportProgress) => {
    const elapsed = (now() - started) / 1000;
    const share = totalBytes ? Math.min(1, bytesRead / totalBytes) : 1;
    const rate = elapsed > 0 ? Math.round(rows / elapsed) : 0;
    // Bytes, not rows, give the share done: the number of rows is not known until the end.
    const left = share > 0 ? (elapsed * (1 - share)) / share : Infinity;
    return {
      share,
      text: `${Math.floor(share * 100)}% ${rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s, ${seconds(left)} left`,
    };
  };
  return {
    update(progress: ImportProgress) {
      const { share, text } = describe(progress);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${text}\n`);
      }
    },
    /** Ends the bar's line so what follows starts on a fresh one. */
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
