// A report as a list of neutral blocks (headings, paragraphs, tables,
// charts), built once from the data and rendered twice: to a self-contained
// HTML page and to Markdown with PNG charts. Text here is plain text; each
// renderer escapes it for its own format.

import type { ChartSpec } from './chart-specs.js';

/** A run of text, a link, or a piece of code. */
export type Inline = string | { readonly text: string; readonly href: string } | { readonly code: string } | { readonly strong: string };

/** How a table cell is coloured: good (passed, supported), info (failed as predicted), bad (broken, refuted), warn (a surprise, inconclusive), muted (not run, not measured), grey (not evidence). */
export type Tone = 'good' | 'info' | 'bad' | 'warn' | 'muted' | 'grey';

export interface TableCell {
  readonly text: string;
  readonly tone?: Tone;
  /** Longer text for a tooltip (HTML only). */
  readonly title?: string;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly id: string }
  | { readonly kind: 'paragraph'; readonly parts: readonly Inline[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly TableCell[])[] }
  | { readonly kind: 'chart'; readonly chart: ChartSpec };

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export function heading(level: 1 | 2 | 3, text: string, id: string): Block {
  return { kind: 'heading', level, text, id };
}

export function para(...parts: Inline[]): Block {
  return { kind: 'paragraph', parts };
}

export function cell(text: string, tone?: Tone, title?: string): TableCell {
  return { text, ...(tone ? { tone } : {}), ...(title ? { title } : {}) };
}

export function table(head: readonly string[], rows: readonly (readonly (TableCell | string)[])[]): Block {
  return { kind: 'table', head, rows: rows.map((r) => r.map((c) => (typeof c === 'string' ? cell(c) : c))) };
}

/** Every chart in a document, in order (the PNG renderer draws these). */
export function chartsOf(doc: ReportDocument): ChartSpec[] {
  return doc.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
}
