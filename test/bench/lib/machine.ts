/** The machine description every BENCHMARKS.md starts with. */
import fs from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  readonly os: string;
  readonly libvips: string;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function describeMachine(): Machine {
  const cpuinfo = readOr('/proc/cpuinfo');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release'))?.[1];
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${pretty ?? os.type()} (${os.type()} ${os.release()}, ${os.arch()})`,
    libvips: `sharp ${sharp.versions.sharp ?? '?'}, libvips ${sharp.versions.vips}`,
  };
}
