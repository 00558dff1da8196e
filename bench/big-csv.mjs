// Writes a numeric table of about the given size (MB) for the large-file measurement of
// docs/CLI.md: 10 features and a regression target y = a·x + noise, seeded, streamed out; a CSV
// file, or JSON records ([{"x0": ..., "y": ...}, ...]) when OUT ends in .json.
// Usage: node bench/big-csv.mjs OUT.csv|OUT.json [MB=200]
import { createWriteStream } from 'node:fs';

const [out, megabytes = '200'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/big-csv.mjs OUT.csv|OUT.json [MB]');
const json = /\.json$/i.test(out);
const target = Number(megabytes) * 1e6;
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const weights = Array.from({ length: 10 }, (_, j) => (j % 3) - 1 + j / 10);
const stream = createWriteStream(out);
let written = 0;
const names = [...weights.map((_, j) => `x${j}`), 'y'];
const header = json ? '[\n' : `${names.join(',')}\n`;
stream.write(header);
written += header.length;
while (written < target) {
  let chunk = '';
  for (let k = 0; k < 2000; k++) {
    const x = weights.map(() => random() * 10 - 5);
    const y = x.reduce((s, v, j) => s + v * weights[j], 0) + (random() - 0.5);
    const values = [...x, y].map((v) => v.toFixed(4));
    if (json) chunk += `${written + chunk.length > header.length ? ',\n' : ''}{${values.map((v, j) => `"${names[j]}": ${v}`).join(', ')}}`;
    else chunk += `${values.join(',')}\n`;
  }
  written += chunk.length;
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
}
stream.end(json ? '\n]\n' : '');
