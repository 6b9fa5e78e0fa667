/** Writes a report into a directory: report.json, report.md and the SVG plots. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './build.js';
import { renderMarkdown } from './markdown.js';
import { plots } from './plots.js';

/** Writes every file and returns their paths, report.json first. */
export async function writeReport(report: Report, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const charts = plots(report);
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.md', renderMarkdown(report, charts)],
    ...charts.map((p): [string, string] => [p.file, p.svg]),
  ];
  for (const [name, text] of files) await writeFile(join(outDir, name), text);
  return files.map(([name]) => join(outDir, name));
}
