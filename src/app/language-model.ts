/**
 * The language model, retrained in the background when the FAQ example questions change (edited in
 * the console) and swapped in atomically: turns keep using the model they started with, the next
 * ones get the new one. Training is synchronous CPU work (about a second for the shipped content),
 * so it runs after the edit's answer went out, once for a burst of edits; while it runs, the event
 * loop is busy (webhook acknowledgements wait that long). A training that fails keeps the old model.
 */
import type { Nlu, NluResult } from '../nlu';
import type { TrainingData } from '../nlu/data';
import type { Logger } from '../logger';

export class LiveLanguageModel implements Nlu {
  private model: Nlu;
  private pending: TrainingData | null = null;
  private running: Promise<void> | null = null;
  /** Completed trainings since start (tests and the console can tell a retrain happened). */
  generation = 0;

  constructor(private readonly d: { initial: Nlu; train: (data: TrainingData) => Nlu; logger: Logger }) {
    this.model = d.initial;
  }

  classify(text: string): NluResult {
    return this.model.classify(text);
  }

  suggestCategory(text: string): { category: string; score: number } {
    return this.model.suggestCategory(text);
  }

  get trainingMs(): number {
    return this.model.trainingMs;
  }

  /** Schedules training on `data`; several calls before it starts train once, on the last data. */
  retrain(data: TrainingData): void {
    this.pending = data;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when no training is pending or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      // Let the request that caused it answer first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const data = this.pending;
      this.pending = null;
      if (!data) break;
      try {
        const next = this.d.train(data);
        this.model = next;
        this.generation++;
        this.d.logger.info({ trainingMs: Math.round(next.trainingMs), generation: this.generation }, 'language model retrained on edited examples');
      } catch (err) {
        this.d.logger.error({ err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'retraining the language model failed; the previous model stays');
      }
    }
  }
}
