/**
 * Automatic face detection for photo redaction: face-api (SSD MobileNet v1 by default, see
 * `face-tiles.ts` for why) on TensorFlow.js's WebAssembly backend, with the weights shipped in the
 * `@vladmandic/face-api` package, so nothing is downloaded at run time.
 *
 * The network runs in one worker thread per process, started on the first photo and reused: the
 * model is loaded once, its memory (the WebAssembly heap, which never shrinks) is one thread's, and
 * the event loop that answers webhooks is never blocked by it. Photos are decoded here with sharp
 * (in libuv's pool), cut into the windows the network looks at, each shrunk to its input side, and
 * handed over without a copy. One photo at a time: others wait their turn. A look that takes longer than `timeoutMs` ends the thread (the next photo starts a
 * new one), so a stuck model cannot hold the queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { mergeDetections, snapToImage, type DetectedFace, type ImageSize } from '../domain/photos/redaction';
import type { FaceDetector } from '../domain/photos/ports';
import { DEFAULT_DETECTOR_SETTINGS, describeSettings, detectionWindows, netInputSide, type DetectorSettings, type Rect } from './face-tiles';
import type { FromWorker, RawFace, ToWorker, WindowPixels, WorkerInit } from './face-detector-worker';
import { fromSharpError, sharedDecodeSlots } from './photo-pipeline';
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
  /** Bounds the decodes running at once; default the process-wide slots of the photo pipeline. */
  readonly decodeSlots?: Semaphore;
  /**
   * The thread ends after this long without a photo (default 10 minutes), giving its memory back
   * (the model and the WebAssembly heap, a few hundred megabytes); the next photo starts it again.
   */
  readonly idleMs?: number;
}

interface Pending {
  resolve(faces: RawFace[][]): void;
  reject(err: Error): void;
}

/** One detector thread and the requests sent to it (a request never outlives its thread). */
interface Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending: Map<number, Pending>;
}

/** {@link FaceDetector} in a worker thread. Call {@link close} when the process stops. */
export class WorkerFaceDetector implements FaceDetector {
  readonly version: string;
  private readonly settings: DetectorSettings;
  private readonly timeoutMs: number;
  private readonly maxPixels: number;
  private readonly one = new Semaphore(1);
  private readonly slots: Semaphore;
  private readonly idleMs: number;
  private thread: Thread | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: WorkerFaceDetectorOptions = {}) {
    this.settings = o.settings ?? DEFAULT_DETECTOR_SETTINGS;
    this.timeoutMs = o.timeoutMs ?? 120_000;
    this.maxPixels = o.maxPixels ?? 4_000_000;
    this.slots = o.decodeSlots ?? sharedDecodeSlots;
    this.idleMs = o.idleMs ?? 10 * 60_000;
    this.version = describeSettings(this.settings, FACE_API_VERSION);
  }

  async detect(jpeg: Buffer): Promise<{ faces: DetectedFace[]; size: ImageSize }> {
    const { size, windows } = await this.slots.run(() => this.prepare(jpeg));
    const found = await this.one.run(() => this.look(windows.map((w) => w.input)));
    const faces: DetectedFace[] = [];
    found.forEach((list, i) => {
      const w = windows[i]!;
      for (const f of list) faces.push({ x: w.win.x + f.x * w.sx, y: w.win.y + f.y * w.sy, w: f.w * w.sx, h: f.h * w.sy, score: f.score });
    });
    return { faces: mergeDetections(faces.map((f) => snapToImage(f, size)).filter((f): f is DetectedFace => f !== null)), size };
  }

  /**
   * Decodes the photo once and cuts it into the windows the detector looks at (the whole photo, then
   * the tiles), each shrunk with sharp to the network's input side: the network would shrink it
   * anyway, and handing over small windows keeps the thread's memory to a few megabytes.
   */
  private async prepare(jpeg: Buffer): Promise<{ size: ImageSize; windows: Array<{ win: Rect; sx: number; sy: number; input: WindowPixels }> }> {
    try {
      const raw = await sharp(jpeg, { failOn: 'error', limitInputPixels: this.maxPixels }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const { width, height, channels } = raw.info;
      if (channels !== 3) throw new Error(`expected 3 colour channels after decoding, got ${channels}`);
      const side = netInputSide(this.settings);
      const windows = await Promise.all(
        detectionWindows(width, height, this.settings).map(async (win) => {
          const { data, info } = await sharp(raw.data, { raw: { width, height, channels } })
            .extract({ left: win.x, top: win.y, width: win.w, height: win.h })
            .resize(side, side, { fit: 'inside', withoutEnlargement: true })
            .raw()
            .toBuffer({ resolveWithObject: true });
          // Its own memory, so it can be handed to the thread without a copy.
          const pixels = new Uint8Array(data.length);
          pixels.set(data);
          return { win, sx: win.w / info.width, sy: win.h / info.height, input: { width: info.width, height: info.height, pixels } };
        }),
      );
      return { size: { width, height }, windows };
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
  }

  /** Ends the thread; a later {@link detect} fails. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.stopThread(new Error('the face detector was closed'));
  }

  private async look(windows: readonly WindowPixels[]): Promise<RawFace[][]> {
    if (this.closed) throw new Error('the face detector was closed');
    clearTimeout(this.idleTimer);
    const t = this.ensureThread();
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    const result = new Promise<RawFace[][]>((resolve, reject) => {
      t.pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        void this.stopThread(new Error(`face detection took longer than ${this.timeoutMs} ms; the detector thread was restarted`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([t.ready, result]);
      t.worker.postMessage({ type: 'detect', id, windows } satisfies ToWorker, windows.map((x) => x.pixels.buffer as ArrayBuffer));
      return await result;
    } finally {
      clearTimeout(timer);
      t.pending.delete(id);
      if (!this.closed) {
        this.idleTimer = setTimeout(() => void this.stopThread(new Error('the face detector thread was idle')), this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  private ensureThread(): Thread {
    if (this.thread) return this.thread;
    const ts = __filename.endsWith('.ts');
    const file = path.join(__dirname, `face-detector-worker${ts ? '.ts' : '.js'}`);
    const init: WorkerInit = { modelDir: path.join(FACE_API_DIR, 'model'), settings: this.settings };
    const worker = new Worker(file, {
      workerData: init,
      // Under ts-node and jest the worker is TypeScript too.
      execArgv: ts ? ['--require', 'ts-node/register/transpile-only'] : [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    for (const stream of [worker.stdout, worker.stderr]) {
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
    const t: Thread = { worker, ready, pending: new Map() };
    const fail = (err: Error) => {
      failStart(err);
      if (this.thread === t) this.thread = null;
      for (const p of t.pending.values()) p.reject(err);
      t.pending.clear();
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') return markReady();
      if (m.type === 'result') return t.pending.get(m.id)?.resolve(m.faces);
      if (m.id === null) {
        fail(new Error(m.message));
        void worker.terminate();
        return;
      }
      t.pending.get(m.id)?.reject(new Error(`face detection failed: ${m.message}`));
    });
    worker.on('error', (err) => fail(new Error(`the face detector thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the face detector thread exited (code ${code})`)));
    // The thread keeps no process alive by itself: a stopping process must not wait for it.
    worker.unref();
    this.thread = t;
    return t;
  }

  private async stopThread(reason: Error): Promise<void> {
    const t = this.thread;
    if (!t) return;
    this.thread = null;
    for (const p of t.pending.values()) p.reject(reason);
    t.pending.clear();
    await t.worker.terminate();
  }
}
