/**
 * Automatic face detection for photo redaction: face-api (SSD MobileNet v1 by default, see
 * `face-tiles.ts` for why) on TensorFlow.js's WebAssembly backend, with the weights shipped in the
 * `@vladmandic/face-api` package, so nothing is downloaded at run time.
 *
 * The network runs in one worker thread per process, started on the first photo and reused: the
 * model is loaded once, its memory (the WebAssembly heap, which never shrinks) is one thread's, and
 * the event loop that answers webhooks is never blocked by it. Photos are decoded here with sharp
 * (in libuv's pool) and their pixels handed over without a copy. One photo at a time: others wait
 * their turn. A look that takes longer than `timeoutMs` ends the thread (the next photo starts a
 * new one), so a stuck model cannot hold the queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { mergeDetections, snapToImage, type DetectedFace, type ImageSize } from '../domain/photos/redaction';
import type { FaceDetector } from '../domain/photos/ports';
import { DEFAULT_DETECTOR_SETTINGS, describeSettings, type DetectorSettings } from './face-tiles';
import type { FromWorker, RawFace, ToWorker, WorkerInit } from './face-detector-worker';
import { fromSharpError } from './photo-pipeline';
import { Semaphore } from './semaphore';

/** Where the package keeps its weights. */
const FACE_API_DIR = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const FACE_API_VERSION = (JSON.parse(fs.readFileSync(path.join(FACE_API_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export interface WorkerFaceDetectorOptions {
  readonly settings?: DetectorSettings;
  /** Per photo, including the model's first load (default 120 s). */
  readonly timeoutMs?: number;
  /** Receives the thread's own console output (TensorFlow.js greets on stdout); default: dropped. */
  readonly onOutput?: (line: string) => void;
  /** Photos larger than this (pixels) are refused rather than decoded (default 4 MP: the pipeline stores ≤ 1600 px). */
  readonly maxPixels?: number;
}

interface Pending {
  resolve(faces: RawFace[]): void;
  reject(err: Error): void;
}

/** {@link FaceDetector} in a worker thread. Call {@link close} when the process stops. */
export class WorkerFaceDetector implements FaceDetector {
  readonly version: string;
  private readonly settings: DetectorSettings;
  private readonly timeoutMs: number;
  private readonly maxPixels: number;
  private readonly one = new Semaphore(1);
  private worker: { thread: Worker; ready: Promise<void> } | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: WorkerFaceDetectorOptions = {}) {
    this.settings = o.settings ?? DEFAULT_DETECTOR_SETTINGS;
    this.timeoutMs = o.timeoutMs ?? 120_000;
    this.maxPixels = o.maxPixels ?? 4_000_000;
    this.version = describeSettings(this.settings, FACE_API_VERSION);
  }

  async detect(jpeg: Buffer): Promise<{ faces: DetectedFace[]; size: ImageSize }> {
    let raw: { data: Buffer; info: sharp.OutputInfo };
    try {
      raw = await sharp(jpeg, { failOn: 'error', limitInputPixels: this.maxPixels }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
    const size = { width: raw.info.width, height: raw.info.height };
    if (raw.info.channels !== 3) throw new Error(`expected 3 colour channels after decoding, got ${raw.info.channels}`);
    const found = await this.one.run(() => this.look(size, raw.data));
    const faces = mergeDetections(found.map((f) => snapToImage(f, size)).filter((f): f is DetectedFace => f !== null));
    return { faces, size };
  }

  /** Ends the thread; a later {@link detect} fails. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopThread(new Error('the face detector was closed'));
  }

  private async look(size: ImageSize, pixels: Buffer): Promise<RawFace[]> {
    if (this.closed) throw new Error('the face detector was closed');
    const w = this.ensureThread();
    const id = this.nextId++;
    // A copy the thread can own: the decoded Buffer may share libuv's pool slab.
    const own = new Uint8Array(pixels.length);
    own.set(pixels);
    let timer: NodeJS.Timeout | undefined;
    const result = new Promise<RawFace[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        void this.stopThread(new Error(`face detection took longer than ${this.timeoutMs} ms; the detector thread was restarted`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([w.ready, result]);
      w.thread.postMessage({ type: 'detect', id, width: size.width, height: size.height, pixels: own } satisfies ToWorker, [own.buffer]);
      return await result;
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  private ensureThread(): { thread: Worker; ready: Promise<void> } {
    if (this.worker) return this.worker;
    const ts = __filename.endsWith('.ts');
    const file = path.join(__dirname, `face-detector-worker${ts ? '.ts' : '.js'}`);
    const init: WorkerInit = { modelDir: path.join(FACE_API_DIR, 'model'), settings: this.settings };
    const thread = new Worker(file, {
      workerData: init,
      // Under ts-node and jest the worker is TypeScript too.
      execArgv: ts ? ['--require', 'ts-node/register/transpile-only'] : [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    for (const stream of [thread.stdout, thread.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) this.o.onOutput?.(line);
      });
    }
    let markReady: () => void = () => undefined;
    let failStart: (err: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => undefined); // raced against the result, which carries the same failure
    const current = { thread, ready };
    const fail = (err: Error) => {
      failStart(err);
      if (this.worker === current) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    thread.on('message', (m: FromWorker) => {
      if (m.type === 'ready') return markReady();
      if (m.type === 'result') return this.pending.get(m.id)?.resolve(m.faces);
      if (m.id === null) {
        fail(new Error(m.message));
        void thread.terminate();
        return;
      }
      this.pending.get(m.id)?.reject(new Error(`face detection failed: ${m.message}`));
    });
    thread.on('error', (err) => fail(new Error(`the face detector thread failed: ${err.message}`)));
    thread.on('exit', (code) => fail(new Error(`the face detector thread exited (code ${code})`)));
    // The thread keeps no process alive by itself: a stopping process must not wait for it.
    thread.unref();
    this.worker = current;
    return current;
  }

  private async stopThread(reason: Error): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    if (w) await w.thread.terminate();
  }
}
