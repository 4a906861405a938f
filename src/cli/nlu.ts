/**
 * `npm run --silent nlu [-- --partial]`
 *
 * Reads JSON lines `{"text": "…"}` on stdin and writes, in order, one JSON line per non-empty input
 * line: `{"text","intent","topic","category","score"}`. A line that is not a JSON object with a string
 * `text` gets `{"text":null,"intent":"unknown","topic":null,"category":null,"score":0}`.
 * stdout carries nothing else: every log goes to stderr. Exits 0 at end of input.
 */

// Anything a dependency might print must not corrupt the JSON stream: console output goes to stderr.
// This runs before the NLU is loaded, which is why the module is required below instead of imported.
for (const method of ['log', 'info', 'debug', 'warn', 'trace'] as const) {
  console[method] = (...args: unknown[]): void => {
    process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
}

import readline from 'node:readline';

const nluModule = require('../nlu/index') as typeof import('../nlu/index');
const contentModule = require('../storage/content-loader') as typeof import('../storage/content-loader');

interface OutputLine {
  text: string | null;
  intent: string;
  topic: string | null;
  category: string | null;
  score: number;
}

const MALFORMED: OutputLine = { text: null, intent: 'unknown', topic: null, category: null, score: 0 };

function textOf(line: string): string | null {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const text = (parsed as Record<string, unknown>)['text'];
      if (typeof text === 'string') return text;
    }
  } catch {
    // not JSON: answered as malformed below
  }
  return null;
}

async function main(): Promise<void> {
  const partial = process.argv.includes('--partial');
  const nlu = nluModule.createNlu(contentModule.loadTrainingData({ partial }));
  process.stderr.write(`nlu: trained in ${nlu.trainingMs.toFixed(0)} ms\n`);

  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head`): nothing left to do.
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let buffer: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  };
  for await (const rawLine of rl) {
    const line = rawLine.replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    const text = textOf(line);
    let out: OutputLine = MALFORMED;
    if (text !== null) {
      try {
        const r = nlu.classify(text);
        out = { text, intent: r.intent, topic: r.topic, category: r.category, score: r.score };
      } catch (err: unknown) {
        process.stderr.write(`nlu: failed on one line: ${err instanceof Error ? err.message : String(err)}\n`);
        out = { ...MALFORMED, text };
      }
    }
    buffer.push(`${JSON.stringify(out)}\n`);
    if (buffer.length >= 256) await flush();
  }
  await flush();
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    process.stderr.write(`nlu: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
