/**
 * Horizontal bar charts as inline SVG: no library, no network. Each series has a colour and a pattern, and each
 * bar ends with its figures in words, so a chart reads without colour (printed in grey, or by a colour-blind reader).
 */
import { escapeHtml } from './htmlText.js';

export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly pattern: 'solid' | 'hatch' | 'dots' | 'cross';
}

export interface ChartRow {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
  /** Text after the bar; default: each non-zero series as `n label`. */
  readonly note?: string;
}

const WIDTH = 820;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 330;
const ROW_HEIGHT = 26;
const LEGEND_HEIGHT = 30;

function patternOf(id: string, series: ChartSeries): string {
  const inner = {
    solid: '',
    hatch: '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>',
    dots: '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    cross: '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.5"/>',
  }[series.pattern];
  return `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${series.colour}"/>${inner}</pattern>`;
}

/** A stacked horizontal bar per row; `id` names the chart (`<svg id>`), its bars are `rect.bar` with `data-series`. */
export function barChart(id: string, title: string, series: readonly ChartSeries[], rows: readonly ChartRow[]): string {
  const max = Math.max(1, ...rows.map((row) => series.reduce((sum, item) => sum + (row.values[item.key] ?? 0), 0)));
  const height = LEGEND_HEIGHT + Math.max(1, rows.length) * ROW_HEIGHT + 8;
  const patternId = (key: string): string => `${id}-${key}`;
  const defs = series.map((item) => patternOf(patternId(item.key), item)).join('');
  const legend = series.map((item, index) => {
    const x = index * 170;
    return `<rect x="${x}" y="6" width="16" height="16" fill="url(#${patternId(item.key)})" stroke="#333"/><text x="${x + 22}" y="19">${escapeHtml(item.label)}</text>`;
  }).join('');
  const bars = rows.map((row, index) => {
    const y = LEGEND_HEIGHT + index * ROW_HEIGHT;
    let x = LABEL_WIDTH;
    const segments = series.filter((item) => (row.values[item.key] ?? 0) > 0).map((item) => {
      const value = row.values[item.key] ?? 0;
      const width = Math.max(2, (value / max) * BAR_WIDTH);
      const rect = `<rect class="bar" data-series="${escapeHtml(item.key)}" x="${x.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="url(#${patternId(item.key)})" stroke="#333" stroke-width="0.5"><title>${escapeHtml(`${row.label}: ${value} ${item.label}`)}</title></rect>`;
      x += width;
      return rect;
    }).join('');
    const note = row.note ?? (series.filter((item) => (row.values[item.key] ?? 0) > 0).map((item) => `${row.values[item.key]} ${item.label}`).join(' · ') || 'none');
    return `<text class="row-label" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 4}" text-anchor="end">${escapeHtml(row.label)}</text>${segments}<text x="${x + 6}" y="${y + ROW_HEIGHT / 2 + 4}">${escapeHtml(note)}</text>`;
  }).join('');
  const empty = rows.length === 0 ? `<text x="0" y="${LEGEND_HEIGHT + 16}">Nothing to show.</text>` : '';
  return `<figure><svg id="${escapeHtml(id)}" class="chart" role="img" aria-labelledby="${escapeHtml(id)}-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}"><title id="${escapeHtml(id)}-title">${escapeHtml(title)}</title><defs>${defs}</defs>${legend}${bars}${empty}</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}
