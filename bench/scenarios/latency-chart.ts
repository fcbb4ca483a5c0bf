import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Series {
  readonly label: string;
  /** x: ms since the run began; y: latency, ms. */
  readonly points: readonly { x: number; y: number }[];
}

const WIDTH = 900;
const HEIGHT = 420;
const PAD = { left: 70, right: 20, top: 40, bottom: 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

/**
 * A hand-written SVG line chart: one polyline per series, axes with ticks, a dashed marker where
 * the flood begins, a legend. No dependency; opens in any browser.
 */
export function writeLatencyChart(
  path: string,
  series: readonly Series[],
  markerX: number,
  title: string,
): void {
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.x));
  const maxY = niceCeiling(Math.max(1, ...all.map((p) => p.y)));
  const sx = (x: number) => PAD.left + (x / maxX) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => HEIGHT - PAD.bottom - (Math.max(0, y) / maxY) * (HEIGHT - PAD.top - PAD.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${sy(0)}" x2="${WIDTH - PAD.right}" y2="${sy(0)}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${sy(0)}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 5; i += 1) {
    const y = (maxY / 5) * i;
    parts.push(
      `<line x1="${PAD.left - 4}" y1="${sy(y)}" x2="${WIDTH - PAD.right}" y2="${sy(y)}" stroke="#eee"/>`,
      `<text x="${PAD.left - 8}" y="${sy(y) + 4}" text-anchor="end">${round(y)}</text>`,
    );
    const x = (maxX / 5) * i;
    parts.push(`<text x="${sx(x)}" y="${sy(0) + 18}" text-anchor="middle">${(x / 1_000).toFixed(0)}</text>`);
  }
  parts.push(
    `<text x="${WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle">time since idle phase began (s)</text>`,
    `<text transform="translate(18 ${HEIGHT / 2}) rotate(-90)" text-anchor="middle">latency (ms)</text>`,
    `<line x1="${sx(markerX)}" y1="${PAD.top}" x2="${sx(markerX)}" y2="${sy(0)}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${sx(markerX) + 4}" y="${PAD.top + 12}" fill="#555">flood starts</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const points = [...s.points]
      .sort((a, b) => a.x - b.x)
      .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="1.2" points="${points.join(' ')}"/>`,
      `<rect x="${WIDTH - PAD.right - 150}" y="${PAD.top + i * 18}" width="12" height="3" fill="${colour}"/>`,
      `<text x="${WIDTH - PAD.right - 132}" y="${PAD.top + i * 18 + 5}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${parts.join('\n')}\n`);
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((c) => c >= value) ?? 10 * magnitude;
}

const round = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
