/**
 * The face detector's thread (see `face-detector.ts`): TensorFlow.js on its WebAssembly backend
 * and face-api's network, loaded once from the weights shipped in the npm package (no download).
 * TensorFlow.js runs synchronously on the thread that calls it, for hundreds of milliseconds per
 * photo; here that thread is not the one answering webhooks.
 *
 * Messages in: `{ type: 'detect', id, windows }`, each window RGB bytes row by row, already shrunk
 * to the network's input side. Messages out: `{ type: 'ready' }` once, then
 * `{ type: 'result', id, faces }` (one list per window, in the window's pixels) or
 * `{ type: 'error', id, message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tfjs from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { DetectorSettings } from './face-tiles';

export interface WorkerInit {
  readonly modelDir: string;
  readonly settings: DetectorSettings;
}

export interface WindowPixels {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export type ToWorker = { readonly type: 'detect'; readonly id: number; readonly windows: readonly WindowPixels[] };

export interface RawFace {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly score: number;
}

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly faces: RawFace[][] }
  | { readonly type: 'error'; readonly id: number | null; readonly message: string };

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('face-detector-worker.ts runs as a worker thread; use WorkerFaceDetector');
  const { modelDir, settings } = workerData as WorkerInit;
  await tfjs.setBackend('wasm');
  await tfjs.ready();
  const net = settings.model === 'ssd-mobilenet-v1' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector;
  await net.loadFromDisk(modelDir);
  const options =
    settings.model === 'ssd-mobilenet-v1'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: settings.minScore, maxResults: 100 })
      : new faceapi.TinyFaceDetectorOptions({ inputSize: settings.inputSize, scoreThreshold: settings.minScore });

  const detect = async (m: ToWorker): Promise<RawFace[][]> => {
    const out: RawFace[][] = [];
    for (const w of m.windows) {
      const input = faceapi.tf.tensor3d(Int32Array.from(w.pixels), [w.height, w.width, 3], 'int32');
      try {
        const found = await faceapi.detectAllFaces(input, options);
        out.push(found.map((d) => ({ x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height, score: d.score })));
      } finally {
        input.dispose();
      }
    }
    return out;
  };

  port.on('message', (m: ToWorker) => {
    detect(m).then(
      (faces) => port.postMessage({ type: 'result', id: m.id, faces } satisfies FromWorker),
      (err: unknown) => port.postMessage({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

start().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', id: null, message: `the face detector did not start: ${err instanceof Error ? err.message : String(err)}` } satisfies FromWorker);
});
