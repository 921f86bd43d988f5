// The report as Markdown (the report directory's README.md), with the charts
// as PNG files beside it. Text is escaped so that names and error messages
// cannot turn into markup; table cells lose their line breaks.

import type { Block, Inline, ReportDocument, TableCell } from './document-model.js';
import { safeHref } from './html-escape.js';

/** Where the PNG of a chart is written, relative to the report directory. */
export function chartPngPath(id: string): string {
  return `charts/${id}.png`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeMarkdown(part);
  if ('href' in part) {
    const href = safeHref(part.href);
    return href === null ? escapeMarkdown(part.text) : `[${escapeMarkdown(part.text)}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
  }
  if ('code' in part) return `\`${part.code.replace(/`/g, "'")}\``;
  return `**${escapeMarkdown(part.strong)}**`;
}

function tableCell(c: TableCell): string {
  const t = escapeMarkdown(c.text);
  if (c.tone === 'bad') return `**${t}**`;
  return c.tone === 'grey' ? `*${t}*` : t;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return b.parts.map(inline).join('');
    case 'list':
      return b.items.map((i) => `- ${i.map(inline).join('')}`).join('\n');
    case 'table': {
      const head = b.head.map((h) => escapeMarkdown(h) || ' ');
      return [
        `| ${head.join(' | ')} |`,
        `|${head.map(() => '---').join('|')}|`,
        ...b.rows.map((r) => `| ${r.map(tableCell).join(' | ')} |`),
      ].join('\n');
    }
    case 'chart':
      return `![${escapeMarkdown(b.chart.alt)}](${chartPngPath(b.chart.id)})`;
  }
}

export function renderMarkdown(doc: ReportDocument, htmlFile: string): string {
  const intro = `*The same report with interactive charts: [${htmlFile}](${htmlFile}) (self-contained, opens offline).*`;
  const [first, ...rest] = doc.blocks;
  const parts = first?.kind === 'heading' ? [block(first), intro, ...rest.map(block)] : [intro, ...doc.blocks.map(block)];
  return `${parts.join('\n\n')}\n`;
}
