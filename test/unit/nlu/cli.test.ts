import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function runNlu(input: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/nlu.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('npm run nlu', () => {
  it('writes exactly one JSON line per non-empty input line, in order, and nothing else', () => {
    const lines = [
      JSON.stringify({ text: 'Cháy nhà ở kiệt 5 Chi Lăng!' }),
      JSON.stringify({ text: 'làm căn cước ở đâu' }),
      '',
      JSON.stringify({ text: 'ổ gà to giữa đường Lê Lợi' }),
      'this is not json',
      JSON.stringify({ text: 'giá vàng hôm nay' }),
      '   ',
      JSON.stringify({ nottext: 1 }),
    ];
    const { stdout, status } = runNlu(`${lines.join('\n')}\n`);
    expect(status).toBe(0);
    const out = stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(6);
    const parsed = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) expect(Object.keys(p)).toEqual(['text', 'intent', 'topic', 'category', 'score']);
    expect(parsed[0]).toMatchObject({ text: 'Cháy nhà ở kiệt 5 Chi Lăng!', intent: 'emergency', topic: null, category: null });
    expect(parsed[1]).toMatchObject({ intent: 'faq', topic: 'can-cuoc', category: null });
    expect(parsed[2]).toMatchObject({ intent: 'report', category: 'road-damage', topic: null });
    expect(parsed[3]).toEqual({ text: null, intent: 'unknown', topic: null, category: null, score: 0 });
    expect(parsed[4]).toMatchObject({ text: 'giá vàng hôm nay', intent: 'unknown' });
    expect(parsed[5]).toEqual({ text: null, intent: 'unknown', topic: null, category: null, score: 0 });
  });

  it('streams thousands of lines and exits 0 at end of input, even without a final newline', () => {
    const n = 2000;
    const input = Array.from({ length: n }, (_, i) => JSON.stringify({ text: i % 2 === 0 ? `đèn đường số ${i} hỏng` : 'xin chào' })).join('\n');
    const { stdout, status } = runNlu(input);
    expect(status).toBe(0);
    const out = stdout.trimEnd().split('\n');
    expect(out).toHaveLength(n);
    expect(JSON.parse(out[n - 1] ?? '{}')).toMatchObject({ text: 'xin chào', intent: 'smalltalk' });
  });
});

describe('npm run nlu:eval', () => {
  function runEval(args: string[]): { stdout: string; stderr: string; status: number | null } {
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/nlu-eval.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  }

  it('scores the dev and the frozen split, each by style and phenomenon, with the calibration and the targets', () => {
    const { stdout, status } = runEval([]);
    expect(status).toBe(0);
    for (const split of ['test/fixtures/nlu-dev.jsonl', 'test/fixtures/nlu-test.jsonl']) {
      const section = stdout.slice(stdout.indexOf(`=== ${split}`));
      expect(section).toMatch(/exact-label accuracy\s+\d+\.\d%/);
      expect(section).toMatch(/by style \(n, exact\):\n\s+plain[^\n]*\n\s+no-diacritics[^\n]*\n\s+teencode[^\n]*\n\s+long[^\n]*\n\s+keywords[^\n]*\n\s+english/);
      expect(section).toMatch(/by phenomenon \(n, exact\):\n\s+situation/);
      expect(section).toMatch(/calibration \(score bucket: n, accuracy\):\n\s+\[0\.\d, [01]\.\d[\])]/);
      expect(section).toMatch(/--- targets on .*\n\s+(PASS|FAIL)\s+exact labels ≥ 94%/);
    }
    expect(stdout).toMatch(/training \d+ ms on \d+ examples/);
  });

  it('never tunes on the frozen split', () => {
    const { stderr, status } = runEval(['--tune', 'test/fixtures/nlu-test.jsonl']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/never looks at the frozen split/);
  });
});
