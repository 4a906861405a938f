/**
 * The language model swapped in the background: a burst of edits trains once, on the last data,
 * after the caller got its answer; a failed training keeps the model in use.
 */
import { LiveLanguageModel } from '../../../src/app/language-model';
import type { Nlu } from '../../../src/nlu';
import type { TrainingData } from '../../../src/nlu/data';
import { silentLogger } from '../../../src/logger';

const model = (topic: string): Nlu => ({
  classify: () => ({ intent: 'faq', topic, score: 1 }) as unknown as ReturnType<Nlu['classify']>,
  suggestCategory: () => ({ category: topic, score: 1 }),
  trainingMs: 1,
});
const data = (name: string) => ({ name }) as unknown as TrainingData;

it('trains once for a burst of edits, on the last data, and swaps the model in', async () => {
  const trained: string[] = [];
  const lm = new LiveLanguageModel({ initial: model('old'), train: (d) => (trained.push((d as unknown as { name: string }).name), model((d as unknown as { name: string }).name)), logger: silentLogger });
  lm.retrain(data('first'));
  lm.retrain(data('second'));
  lm.retrain(data('third'));
  expect(trained).toEqual([]); // not during the request that asked
  expect(lm.classify('x').topic).toBe('old');
  await lm.idle();
  expect(trained).toEqual(['third']);
  expect(lm.classify('x').topic).toBe('third');
  expect(lm.generation).toBe(1);
});

it('keeps the model in use when training fails', async () => {
  const lm = new LiveLanguageModel({ initial: model('old'), train: () => { throw new Error('bad data'); }, logger: silentLogger });
  lm.retrain(data('x'));
  await lm.idle();
  expect(lm.classify('x').topic).toBe('old');
  expect(lm.generation).toBe(0);
});
