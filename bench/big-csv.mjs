// Writes a numeric CSV of about the given size (MB) for the large-file measurement of
// docs/CLI.md: 10 features and a regression target y = a·x + noise, seeded, streamed out.
// Usage: node bench/big-csv.mjs OUT.csv [MB=200]
import { createWriteStream } from 'node:fs';

const [out, megabytes = '200'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/big-csv.mjs OUT.csv [MB]');
const target = Number(megabytes) * 1e6;
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const weights = Array.from({ length: 10 }, (_, j) => (j % 3) - 1 + j / 10);
const stream = createWriteStream(out);
let written = 0;
const header = `${weights.map((_, j) => `x${j}`).join(',')},y\n`;
stream.write(header);
written += header.length;
while (written < target) {
  let chunk = '';
  for (let k = 0; k < 2000; k++) {
    const x = weights.map(() => random() * 10 - 5);
    const y = x.reduce((s, v, j) => s + v * weights[j], 0) + (random() - 0.5);
    chunk += `${x.map((v) => v.toFixed(4)).join(',')},${y.toFixed(4)}\n`;
  }
  written += chunk.length;
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
}
stream.end();
