/** Progress on stderr: a redrawn bar on a terminal, an occasional line otherwise (logs stay short). */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let lastLine = 0;
  let drawn = false;
  return {
    update(label: string, done: number, total: number, rate?: number, etaSeconds?: number | null) {
      const now = Date.now();
      if (!stream.isTTY && now - lastLine < 2000 && done < total) return;
      lastLine = now;
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      const parts = [label, bar, `${done}/${total}`];
      if (rate !== undefined) parts.push(`${rate.toFixed(0)}/s`);
      if (etaSeconds != null) parts.push(`ETA ${formatSeconds(etaSeconds)}`);
      if (stream.isTTY) {
        stream.write(`\r${parts.join(' ')}\x1b[K`);
        drawn = true;
      } else stream.write(`${parts.join(' ')}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
