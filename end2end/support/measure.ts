// Helpers of the on-demand benchmarks (end2end/perf): percentiles, a
// printed report, and the time from a tap to the phone's IndexedDB commit.
import type { Locator } from '@playwright/test';

/** The p-th percentile of samples sorted in increasing order. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** p50, p95 and max of some timings (ms). */
export function summary(samples: number[]): Record<string, string | number> {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50_ms: percentile(sorted, 50).toFixed(1),
    p95_ms: percentile(sorted, 95).toFixed(1),
    max_ms: sorted[sorted.length - 1].toFixed(1),
  };
}

export function report(name: string, figures: Record<string, string | number>) {
  console.log(`\n== ${name}`);
  for (const [k, v] of Object.entries(figures)) console.log(`   ${k}: ${v}`);
}

/** Taps `target` and waits for `saves` new "jalon-saved" marks (the app sets
 * one after each IndexedDB commit); the time to the last one, in ms. */
export async function timedTap(target: Locator, saves = 1): Promise<number> {
  return target.evaluate(
    (el, saves) =>
      new Promise<number>((resolve) => {
        const before = performance.getEntriesByName('jalon-saved').length;
        const t0 = performance.now();
        (el as HTMLElement).click();
        const poll = () => {
          const marks = performance.getEntriesByName('jalon-saved');
          if (marks.length >= before + saves) resolve(marks[before + saves - 1].startTime - t0);
          else setTimeout(poll, 1);
        };
        poll();
      }),
    saves,
  );
}
